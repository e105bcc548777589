"""``manage.py publish_scheduled``: Wagtail's command, one run at a time across the nodes.

Every node's timer starts it each minute; two runs at the same moment both
published each page whose time had come, and its history showed it published
twice. The project's app comes before Wagtail's in ``INSTALLED_APPS``, so this
command replaces Wagtail's under the same name and options. Being run each minute
on every node, it also makes up the page-cache changes missed while Redis was away
(``page_cache.invalidation.replay_missed_changes``).
"""

from wagtail.management.commands.publish_scheduled import Command as WagtailCommand

from config.locks import single_run
from page_cache.invalidation import replay_missed_changes


class Command(WagtailCommand):
    def handle(self, *args, **options) -> None:
        with single_run("publish_scheduled"):
            super().handle(*args, **options)
        replay_missed_changes()
