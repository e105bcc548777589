"""Pages waiting for a principal's review, for the principal's own to-do list.

The school's review workflow (:mod:`pages.workflows`) asks its leadership to
approve what editors submit. Wagtail lists those pages in its dashboard panel;
the case area's to-do lists them beside the case tasks, so a principal finds in
one place everything that waits for them. What they may do on each page is
Wagtail's answer: the task's own queryset of states the user may moderate
(:class:`~pages.models.workflow.PrincipalApprovalTask` leaves out their own
submissions) and its ``get_actions``; the actions are taken through Wagtail's
workflow action URLs, where the task checks again.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import Page, TaskState

from pages.models.workflow import PrincipalApprovalTask
from schools.models import School

__all__ = ["PageReview", "pages_awaiting_review"]


@dataclass(frozen=True)
class PageReview:
    """A page in moderation at a task the user may act on, and the actions Wagtail offers."""

    page: Page
    task_state: TaskState
    # Wagtail's (name, label, needs a modal) triples, e.g. ("approve", "Approve", False).
    actions: tuple[tuple[str, str, bool], ...]

    @property
    def submitted_at(self) -> datetime.datetime:
        return self.task_state.started_at


def pages_awaiting_review(user, school_ids: Iterable[int]) -> list[PageReview]:
    """Pages of ``school_ids`` waiting at a school review task that ``user`` may moderate.

    Only pages inside those schools' sections, whatever other tasks the user's
    groups may belong to; each page once, oldest submission first. The caller
    passes the schools where the user is the principal, so a principal of
    another school never sees these pages.
    """
    roots = list(
        School.objects.filter(pk__in=list(school_ids), root_page__isnull=False).values_list(
            "root_page__path", flat=True
        )
    )
    if not roots or not user.is_authenticated:
        return []
    tasks = PrincipalApprovalTask.objects.filter(active=True, groups__user=user).distinct()
    states = TaskState.objects.none()
    for task in tasks:
        states = states | task.get_task_states_user_can_moderate(user)
    states = states.select_related("workflow_state", "task").order_by("started_at", "pk")
    page_type = ContentType.objects.get_for_model(Page)
    by_page: dict[int, TaskState] = {}
    for state in states:
        if state.workflow_state.base_content_type_id != page_type.pk:
            continue
        by_page.setdefault(int(state.workflow_state.object_id), state)
    if not by_page:
        return []
    in_sections = Q()
    for path in roots:
        in_sections |= Q(path__startswith=path)
    pages = {page.pk: page for page in Page.objects.filter(in_sections, pk__in=list(by_page))}
    reviews = []
    for page_id, state in by_page.items():
        page = pages.get(page_id)
        if page is None:
            continue
        actions = tuple(state.task.specific.get_actions(page, user))
        if actions:
            reviews.append(PageReview(page=page, task_state=state, actions=actions))
    return reviews
