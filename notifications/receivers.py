"""What raises an alert: other apps' signals, listened to here and connected in ``ready()``.

No other app imports this module (the case area and the front door know nothing
of alerts). A receiver never lets a failure of its own undo the event it reports:
it works in a savepoint and logs only the kind of error, so a concern is saved
even if its alert cannot be.

- a new concern → the school's case workers and principals (urgent: e-mailed to
  all of them at once, whatever their preference); concerns the help channel set
  aside as possible spam raise none (a person looks at them in the queue);
- a new message from a concern's reporter or sender → the case worker handling
  it, else the school's case roles;
- a plan submitted → the school's principals but its author; a plan approved or
  returned → its author. Read from the plan's own status change
  (``transitions.submit_plan`` and ``_decide`` save it with ``update_fields``):
  the case timeline's event is a bare "record added" when a revision is
  submitted mid-course, so it cannot tell a submission from other records;
- a page submitted to a review task → the principals of the page's school but
  the submitter.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.db import transaction
from django.db.models.signals import post_save

from notifications.alerts import raise_alert
from notifications.links import case_url, concern_url, page_url, plan_decision_url
from notifications.models import Kind
from notifications.recipients import case_roles, holds_case_role, principals

logger = logging.getLogger(__name__)


def _safely(receiver: Callable) -> Callable:
    @functools.wraps(receiver)
    def wrapper(*args, **kwargs) -> None:
        try:
            with transaction.atomic():
                receiver(*args, **kwargs)
        except Exception as error:
            logger.error("Alert not raised by %s: %s", receiver.__name__, type(error).__name__)

    return wrapper


@_safely
def concern_created(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw or instance.held_as_possible_spam:
        return
    raise_alert(
        Kind.NEW_CONCERN,
        instance.school,
        case_roles(instance.school_id),
        concern_url(instance.pk),
        urgent=instance.urgent,
        dedupe_key=f"concern:{instance.pk}",
        exclude=[instance.reporter_id],
    )


@_safely
def concern_message_created(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    from concerns.models import ConcernMessage

    if not created or raw or instance.author_kind != ConcernMessage.Author.REPORTER:
        return
    concern = instance.concern
    handler = concern.handled_by
    if handler is not None and handler.is_active and holds_case_role(handler, concern.school_id):
        recipients = [handler]
    else:
        recipients = case_roles(concern.school_id)
    raise_alert(
        Kind.SENDER_MESSAGE,
        concern.school,
        recipients,
        concern_url(concern.pk),
        dedupe_key=f"concern-message:{instance.pk}",
        exclude=[instance.author_id],
    )


@_safely
def plan_saved(sender, instance, created: bool, update_fields=None, raw: bool = False, **kwargs):
    if created or raw or not update_fields or "status" not in update_fields:
        return
    status = sender.Status
    case = instance.case
    if instance.status == status.SUBMITTED and instance.submitted_at:
        raise_alert(
            Kind.PLAN_SUBMITTED,
            case.school,
            principals(case.school_id),
            plan_decision_url(instance.pk, case.pk),
            dedupe_key=f"plan:{instance.pk}:submitted:{instance.submitted_at.timestamp():.0f}",
            exclude=[instance.author_id],
        )
    elif instance.status in (status.APPROVED, status.RETURNED) and instance.decided_at:
        if instance.author is None:
            return
        kind = Kind.PLAN_APPROVED if instance.status == status.APPROVED else Kind.PLAN_RETURNED
        raise_alert(
            kind,
            case.school,
            [instance.author],
            case_url(case.pk),
            dedupe_key=f"plan:{instance.pk}:{instance.status}:{instance.decided_at.timestamp():.0f}",
            exclude=[instance.decided_by_id],
        )


@_safely
def page_task_submitted(sender, instance, user=None, **kwargs) -> None:
    from wagtail.models import Page

    from schools.models import School

    page = instance.workflow_state.content_object
    if not isinstance(page, Page):
        return
    school = School.objects.for_page(page)
    if school is None:
        return
    raise_alert(
        Kind.PAGE_REVIEW,
        school,
        principals(school),
        page_url(page.pk),
        dedupe_key=f"page-task:{instance.pk}",
        exclude=[getattr(user, "pk", None)],
    )


def connect() -> None:
    from wagtail.signals import task_submitted

    from concerns.models import Concern, ConcernMessage
    from forms_app.models import InterventionPlan

    post_save.connect(concern_created, sender=Concern, dispatch_uid="notifications.concern")
    post_save.connect(
        concern_message_created, sender=ConcernMessage, dispatch_uid="notifications.message"
    )
    post_save.connect(plan_saved, sender=InterventionPlan, dispatch_uid="notifications.plan")
    task_submitted.connect(page_task_submitted, dispatch_uid="notifications.page_task")
