"""The triage queue's question: which concerns, in which order, with which facts per row.

One query per page whatever the number of items: each row's clear facts (channel,
status, urgency, times) come from the concern's own columns, the number of learners
named and the time of the team's last reply from subqueries, and nothing encrypted
is read, so a page of fifty rows decrypts nothing. Ordered by the ``concern_queue``
index (school, status, urgency, receipt).
"""

from dataclasses import dataclass

from django.db.models import (
    Count,
    DateTimeField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from concerns.models import Concern, ConcernLearner, ConcernMessage, Status
from concerns.policy import concerns_for_triage

# The queue's status filter: "open" (received or being handled) unless asked otherwise.
OPEN = "open"
ALL = "all"
OPEN_STATUSES: tuple[str, ...] = (Status.RECEIVED, Status.HANDLING)

# The columns a row shows; the encrypted text stays in the database.
ROW_FIELDS: tuple[str, ...] = (
    "pk",
    "school",
    "channel",
    "received_at",
    "urgent",
    "status",
    "held_as_possible_spam",
    "last_sender_message_at",
    "case",
)


@dataclass(frozen=True)
class QueueFilter:
    """What the queue is narrowed to; the defaults are the queue as it opens."""

    status: str = OPEN
    channel: str = ""
    urgent: bool = False
    set_aside: bool = False
    school_id: int | None = None


def _learner_count() -> Subquery:
    counts = (
        ConcernLearner.objects.filter(concern=OuterRef("pk"))
        .order_by()
        .values("concern")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def _last_team_reply() -> Subquery:
    replies = (
        ConcernMessage.objects.filter(
            concern=OuterRef("pk"), author_kind=ConcernMessage.Author.TEAM
        )
        .order_by()
        .values("concern")
        .annotate(last=Max("created_at"))
        .values("last")
    )
    return Subquery(replies, output_field=DateTimeField())


def with_row_facts(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    """``concerns`` with what a row shows besides its columns: ``learner_count``,
    ``last_team_reply_at`` and ``has_new_reply`` (the reporter or sender wrote after
    the team last answered, or after receipt when the team has not answered yet)."""
    return (
        concerns.only(*ROW_FIELDS)
        .select_related(None)
        .annotate(
            learner_count=_learner_count(),
            last_team_reply_at=_last_team_reply(),
        )
        .annotate(
            has_new_reply=Q(last_sender_message_at__isnull=False)
            & Q(last_sender_message_at__gt=Coalesce(F("last_team_reply_at"), F("received_at")))
        )
    )


def filtered(concerns: QuerySet[Concern], wanted: QueueFilter) -> QuerySet[Concern]:
    """``concerns`` narrowed as ``wanted`` says. Set-aside items live in their own tab:
    never in the main queue, always in that one until a person releases them."""
    # "IN (0)", not "= False": Django writes the latter as "NOT held…" on SQLite,
    # which no index can answer, and the queue would sort the school's every item.
    concerns = concerns.filter(held_as_possible_spam__in=[wanted.set_aside])
    if wanted.school_id is not None:
        concerns = concerns.filter(school_id=wanted.school_id)
    if wanted.status == OPEN:
        concerns = concerns.filter(status__in=OPEN_STATUSES)
    elif wanted.status in Status.values:
        concerns = concerns.filter(status=wanted.status)
    if wanted.channel:
        concerns = concerns.filter(channel=wanted.channel)
    if wanted.urgent:
        concerns = concerns.filter(urgent=True)
    return concerns


def triage_queue(user, wanted: QueueFilter | None = None) -> QuerySet[Concern]:
    """The concerns ``user`` receives, narrowed by ``wanted``, urgent first then newest."""
    concerns = filtered(concerns_for_triage(user), wanted or QueueFilter())
    return with_row_facts(concerns).queue_order()


# Set on the request's user, as forms_app.cases.access caches the case roles: the menu
# and the queue's tab both ask within one request.
_NEW_COUNT_ATTR = "_triage_new_count"


def new_count(user) -> int:
    """How many concerns wait for someone to look at them (received, not set aside):
    the number beside the menu item, counted once per request."""
    cached = getattr(user, _NEW_COUNT_ATTR, None)
    if cached is None:
        cached = (
            concerns_for_triage(user)
            .filter(status=Status.RECEIVED, held_as_possible_spam__in=[False])
            .count()
        )
        setattr(user, _NEW_COUNT_ATTR, cached)
    return cached


def set_aside_count(user) -> int:
    """How many open items wait in the "set aside" tab, so its label says so."""
    return (
        concerns_for_triage(user)
        .filter(held_as_possible_spam=True, status__in=OPEN_STATUSES)
        .count()
    )
