"""Keep schools' review workflows in step, stamp plans with who approved them, and
keep tagged pages findable by their topics' and audiences' names.

Connected in :meth:`pages.apps.PagesConfig.ready`. The schools app comes first in
``INSTALLED_APPS``, so its receivers (which make the school's role groups) have
run by the time these do, for ``post_save`` and for ``post_migrate`` alike.
"""

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Revision, TaskState
from wagtail.search.index import insert_or_update_object

from pages.models import (
    Audience,
    CampaignPage,
    MaterialPage,
    PlanPage,
    PrincipalApprovalTask,
    Topic,
)
from pages.workflows import sync_all_school_workflows, sync_school_workflow
from schools.models import School


def sync_workflows_after_migrate(
    sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs
) -> None:
    """Give every school its review workflow after ``migrate`` (and test-database flushes).

    Skipped while the workflow tables are absent, e.g. after migrating this app to zero.
    """
    tables = connections[using].introspection.table_names()
    if PrincipalApprovalTask._meta.db_table not in tables:
        return
    sync_all_school_workflows()


def school_saved(sender: type[School], instance: School, raw: bool = False, **kwargs) -> None:
    """Create the school's workflow, or move it to a new root page."""
    if not raw:
        sync_school_workflow(instance)


def _approval(page: PlanPage, revision: Revision) -> TaskState | None:
    """The latest approval that led to publishing ``revision``, or None if it was not reviewed.

    An approval of this revision counts; so does one given after it was saved,
    because approving from the edit screen saves a new revision and publishes that
    one, while the task state stays on the revision that was submitted.
    """
    return (
        TaskState.objects.for_instance(page)
        .filter(status=TaskState.STATUS_APPROVED)
        .filter(Q(revision=revision) | Q(finished_at__gte=revision.created_at))
        .select_related("finished_by")
        .order_by("-finished_at", "-pk")
        .first()
    )


def _display_name(user) -> str:
    return (user.get_full_name() or user.get_username())[:150]


def plan_published(
    sender: type[PlanPage], instance: PlanPage, revision: Revision | None = None, **kwargs
) -> None:
    """Record on a plan who approved it and when ("Phê duyệt bởi … ngày …").

    From the review that approved the published revision; failing that (published
    directly by someone with publish rights) from the publishing user, when the
    signal names one, else the revision's author. Written with ``update()`` so
    the published revision is not saved again.
    """
    if revision is None:
        return
    approval = _approval(instance, revision)
    if approval is not None:
        user, when = approval.finished_by, approval.finished_at
    else:
        # Wagtail 8's page_published sends no user; accept one should it ever do.
        user, when = kwargs.get("user") or revision.user, timezone.now()
    name = _display_name(user) if user is not None else ""
    PlanPage.objects.filter(pk=instance.pk).update(approved_by_name=name, approved_at=when)
    instance.approved_by_name, instance.approved_at = name, when


def index_tags_after_publish(sender: type, instance, **kwargs) -> None:
    """Index a published page again, now that its topics and audiences are saved.

    Wagtail indexes a page on ``post_save``, which modelcluster sends before it
    writes the page's many-to-many tags; without this, a page tagged and published
    in one go would be found by its tags only after its next publication.
    """
    insert_or_update_object(instance)


def tag_renamed(sender: type[Topic | Audience], instance, raw: bool = False, **kwargs) -> None:
    """Index again the live pages tagged with a topic or audience that was saved.

    A page's index entry holds its tags' names (``get_search_text``); without this,
    a renamed topic would be found under its old name until each page is published.
    """
    if raw:
        return
    field = "topics" if sender is Topic else "audiences"
    models = (
        (PlanPage, CampaignPage, MaterialPage) if sender is Topic else (CampaignPage, MaterialPage)
    )
    for model in models:
        for page in model.objects.live().filter(**{field: instance}):
            insert_or_update_object(page)
