"""Make every stored public page stale when anything a public page shows changes.

What a page shows is more than the page: listings show other pages, every page
shows the school's name and hotlines, images and documents appear on many
pages, and a view restriction hides a page. So any of these changes starts a
new generation (:func:`page_cache.store.new_generation`) and asks the caching
proxy in front, if there is one, to drop everything (:mod:`page_cache.frontend`):

- a page published, unpublished (by hand or by its expiry date), moved or deleted;
- a hotline, topic, audience, image, document, school, district, site or page
  view restriction saved or deleted.

A draft saved or submitted for review changes nothing public, so it does not
count; nor does a rendition, which is made while a page is being rendered.

The change is acted on when the transaction commits: a worker that read the new
generation earlier than the commit could otherwise render the old content and
keep it under the new generation.

A change made while Redis is unreachable cannot write its generation, and Redis,
cut off but not restarted, still holds the old one and the pages rendered under
it. So the miss is written to the database (:class:`page_cache.models.MissedGeneration`)
and made up by :func:`replay_missed_changes`, which runs before any process reads
Redis again after seeing it fail (``config.cache.cache_recovered``: the breaker
stays open until it has succeeded) and after every ``publish_scheduled`` run (each
minute on every node), for a node that never noticed the outage.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from config.cache import cache_recovered
from page_cache import frontend
from page_cache.store import new_generation

logger = logging.getLogger(__name__)

# Models (besides pages) whose rows public pages show.
SHOWN_ON_PUBLIC_PAGES = (
    "pages.Hotline",
    "pages.Topic",
    "pages.Audience",
    "pages.SiteImage",
    "pages.SiteDocument",
    "schools.School",
    "schools.District",
    "wagtailcore.Site",
    "wagtailcore.PageViewRestriction",
)


def public_content_changed() -> None:
    """Start a new generation and purge the proxy once the change is committed.

    Several signals of one change (a page and its rows, or a bulk edit) share one
    transaction; only one new generation is made for it.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _expire()
        return
    pending = getattr(connection, "_page_cache_pending", None)
    if pending is not None and not pending.done and pending.is_queued(connection):
        return
    pending = _PendingExpiry()
    connection._page_cache_pending = pending
    transaction.on_commit(pending)


class _PendingExpiry:
    """One new generation waiting for the commit; a rollback drops it with the change."""

    def __init__(self) -> None:
        self.done = False

    def is_queued(self, connection) -> bool:
        # Django keeps (savepoint ids, callback, robust) for each callback.
        return any(entry[1] is self for entry in connection.run_on_commit)

    def __call__(self) -> None:
        self.done = True
        _expire()


def _expire() -> None:
    if new_generation() is None:
        _record_missed()
    frontend.purge_all()


def _record_missed() -> None:
    from page_cache.models import MissedGeneration

    try:
        MissedGeneration.objects.create()
    except DatabaseError as error:
        # Both Redis and the database are away: the change itself cannot have been
        # saved either, unless the database went in the instant between the two.
        logger.error("A page-cache change could not be recorded (%s)", type(error).__name__)


class CacheStillUnreachable(Exception):
    """The missed changes could not be made up: Redis did not keep the new generation."""


def replay_missed_changes() -> bool:
    """Start the generation that changes made while Redis was away could not start.

    True when no change is missing any more; False when Redis is still unreachable
    (the rows stay for the next try). A change recorded while this runs stays too,
    for the next call: one more generation than needed is harmless, one fewer is not.
    """
    from page_cache.models import MissedGeneration

    latest = MissedGeneration.objects.order_by("-pk").values_list("pk", flat=True).first()
    if latest is None:
        return True
    if new_generation() is None:
        return False
    MissedGeneration.objects.filter(pk__lte=latest).delete()
    # Wagtail drops its site root paths (kept an hour) when a site or page moves, but
    # that drop went nowhere either.
    Site.clear_site_root_paths_cache()
    # Pages served from Redis's old generation meanwhile may sit in the proxy.
    frontend.purge_all()
    logger.warning("Page-cache changes missed while Redis was away are now made up")
    return True


def _on_cache_recovered(sender, **kwargs) -> None:
    # In a savepoint, so that a failed query here never breaks a caller's transaction.
    with transaction.atomic():
        caught_up = replay_missed_changes()
    if not caught_up:
        raise CacheStillUnreachable


def _on_page_change(sender, instance=None, **kwargs) -> None:
    public_content_changed()


def _on_row_change(sender, instance=None, raw: bool = False, **kwargs) -> None:
    if not raw:  # loading fixtures: the cache is reset by whoever loads them
        public_content_changed()


def _on_page_deleted(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, Page):
        public_content_changed()


def connect() -> None:
    """Connect the receivers; called from :meth:`page_cache.apps.PageCacheConfig.ready`."""
    page_published.connect(_on_page_change, dispatch_uid="page_cache.published")
    page_unpublished.connect(_on_page_change, dispatch_uid="page_cache.unpublished")
    post_page_move.connect(_on_page_change, dispatch_uid="page_cache.moved")
    post_delete.connect(_on_page_deleted, dispatch_uid="page_cache.page_deleted")
    cache_recovered.connect(_on_cache_recovered, dispatch_uid="page_cache.cache_recovered")
    for label in SHOWN_ON_PUBLIC_PAGES:
        model = apps.get_model(label)
        post_save.connect(_on_row_change, sender=model, dispatch_uid=f"page_cache.save.{label}")
        post_delete.connect(_on_row_change, sender=model, dispatch_uid=f"page_cache.delete.{label}")
