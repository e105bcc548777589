from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    """The shared cache of anonymous public pages, and what empties it."""

    name = "page_cache"
    verbose_name = _("Public page cache")

    def ready(self) -> None:
        from page_cache import invalidation

        invalidation.connect()
