"""What the counselling team decides about a concern, and when each decision fits.

Each decision has a refusal check (``refusal_*``: ``None`` when it fits the
concern's status now, else the reason in the user's words) and a function that
makes the change. The views ask ``concerns.policy`` who may decide, then these
checks whether the concern allows it now; the audit is the views'.
"""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from concerns.models import Channel, CloseReason, Concern, ConcernLearner, ConcernMessage, Status
from forms_app.cases.access import cases_for
from forms_app.display import local_moment
from forms_app.models import Case, CaseEvent, CaseState

CLOSED_MESSAGE = _("This concern is closed. Re-open it first.")
SET_ASIDE_MESSAGE = _(
    "This concern is set aside as possible spam. Release it from there first if it is real."
)


def _open_refusal(concern: Concern) -> str | None:
    if concern.status == Status.CLOSED:
        return str(CLOSED_MESSAGE)
    if concern.held_as_possible_spam:
        return str(SET_ASIDE_MESSAGE)
    return None


def refusal_open_case(concern: Concern, named: ConcernLearner | None) -> str | None:
    """A case may be opened from an open concern, once for each learner it names."""
    if reason := _open_refusal(concern):
        return reason
    if named is not None and named.case_id:
        return gettext("A case has already been opened or chosen for this learner.")
    return None


def refusal_attach(concern: Concern) -> str | None:
    return _open_refusal(concern)


def refusal_reply(concern: Concern) -> str | None:
    """Only the online channel's sender can read a reply (with their code and secret)."""
    if concern.channel != Channel.ONLINE:
        return gettext("Only a help request sent through the online channel can be answered here.")
    return _open_refusal(concern)


def refusal_close(concern: Concern) -> str | None:
    if concern.status == Status.CLOSED:
        return gettext("This concern is already closed.")
    return None


def refusal_reopen(concern: Concern) -> str | None:
    if concern.status != Status.CLOSED:
        return gettext("Only a closed concern can be re-opened.")
    return None


def refusal_release(concern: Concern) -> str | None:
    if not concern.held_as_possible_spam:
        return gettext("This concern is not set aside.")
    return None


def refusal_keep_aside(concern: Concern) -> str | None:
    if not concern.held_as_possible_spam:
        return gettext("This concern is not set aside.")
    if concern.status == Status.CLOSED:
        return gettext("This concern is already closed.")
    return None


# Attaching ---------------------------------------------------------------------------


def attach_candidates(user, concern: Concern) -> QuerySet[Case]:
    """The school's open cases ``user`` may read about a learner the concern names:
    the same learner on the school's list, or the same name through the keyed index."""
    match = Q(pk__in=[])
    for named in concern.learners.select_related("learner"):
        if named.learner_id:
            match |= Q(learner_id=named.learner_id)
            match |= Case.name_lookup(named.learner.full_name or "")
        elif named.typed_name:
            match |= Case.name_lookup(named.typed_name)
    return (
        cases_for(user)
        .filter(school_id=concern.school_id, archived_at__isnull=True)
        .exclude(state=CaseState.CLOSED)
        .filter(match)
        .order_by("-received_at")
    )


def _timeline_note(case: Case, concern: Concern, user) -> None:
    CaseEvent.objects.create(
        case=case,
        actor=user,
        kind=CaseEvent.Kind.NOTE,
        note=gettext("Concern #%(number)s received on %(when)s is linked to this case.")
        % {"number": concern.pk, "when": local_moment(concern.received_at)},
    )


def link_case(concern: Concern, case: Case, user, named: ConcernLearner | None = None) -> None:
    """Link ``concern`` (and the learner ``named``) to ``case``; the concern is then being
    handled. The case's timeline says which concern joined it."""
    with transaction.atomic():
        fields = ["status", "handled_by", "updated_at"]
        if concern.case_id is None:
            concern.case = case
            fields.append("case")
        if concern.status != Status.CLOSED:
            concern.status = Status.HANDLING
        concern.handled_by = user
        concern.save(update_fields=fields)
        if named is not None and named.case_id is None:
            named.case = case
            named.save(update_fields=["case"])
        _timeline_note(case, concern, user)


# The other decisions ----------------------------------------------------------------


def reply(concern: Concern, user, text: str) -> ConcernMessage:
    with transaction.atomic():
        message = ConcernMessage.objects.create(
            concern=concern, author_kind=ConcernMessage.Author.TEAM, author=user, text=text
        )
        if concern.status == Status.RECEIVED:
            concern.status = Status.HANDLING
        concern.handled_by = user
        concern.save(update_fields=["status", "handled_by", "updated_at"])
    return message


def close(concern: Concern, user, reason: str, note: str = "") -> None:
    concern.status = Status.CLOSED
    concern.close_reason = CloseReason(reason)
    concern.close_note = note
    concern.closed_at = timezone.now()
    concern.handled_by = user
    concern.save(
        update_fields=[
            "status",
            "close_reason",
            "close_note",
            "closed_at",
            "handled_by",
            "updated_at",
        ]
    )


def reopen(concern: Concern, user) -> None:
    """Back to "being handled" if a case holds it, else to "received"."""
    concern.status = Status.HANDLING if concern.case_id else Status.RECEIVED
    concern.close_reason = ""
    concern.close_note = ""
    concern.closed_at = None
    concern.handled_by = user
    concern.save(
        update_fields=[
            "status",
            "close_reason",
            "close_note",
            "closed_at",
            "handled_by",
            "updated_at",
        ]
    )


def release(concern: Concern, user) -> None:
    """Not spam after all: into the main queue, as received."""
    concern.held_as_possible_spam = False
    concern.handled_by = user
    concern.save(update_fields=["held_as_possible_spam", "handled_by", "updated_at"])


def keep_aside(concern: Concern, user) -> None:
    """Spam indeed: closed as needing no action, and still shown in the "set aside" tab."""
    close(concern, user, CloseReason.NO_ACTION)
