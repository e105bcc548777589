"""The procedure of the circular as data: which state may follow which, and who decides.

Thông tư 18/2025/TT-BGDĐT (which replaced Thông tư 33/2018) sets the steps: intake,
assessment, a plan the principal approves, carrying it out, review, closing or
referral. Read by the transitions (which enforce it) and the case policy (which
says what a user may do now), so the two cannot disagree about the graph.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forms_app.models import CaseState

S = CaseState

# The procedure as a graph. "reviewed" fans out because Mẫu 04 concludes in one
# of four ways: close, continue the plan, draft a new plan, or refer.
TRANSITIONS: dict[str, set[str]] = {
    S.RECEIVED: {S.ASSESSED, S.REFERRED},
    S.ASSESSED: {S.PLAN_SUBMITTED, S.REFERRED},
    S.PLAN_SUBMITTED: {S.PLAN_APPROVED, S.PLAN_RETURNED},
    S.PLAN_RETURNED: {S.PLAN_SUBMITTED},
    S.PLAN_APPROVED: {S.IN_PROGRESS},
    S.IN_PROGRESS: {S.REVIEWED},
    S.REVIEWED: {S.CLOSED, S.IN_PROGRESS, S.PLAN_SUBMITTED, S.REFERRED},
    S.REFERRED: {S.CLOSED},
    S.CLOSED: set(),
}

# Moves that are the principal's decision under the circular, whoever asks for them.
PRINCIPAL_ONLY: frozenset[str] = frozenset({S.PLAN_APPROVED, S.PLAN_RETURNED, S.CLOSED})

# While a plan is being carried out a revision goes through approval without
# moving the case: the approved plan stays in force until its successor is approved.
PLAN_IN_FORCE_STATES: frozenset[str] = frozenset({S.PLAN_APPROVED, S.IN_PROGRESS})


def sources(to_state: str) -> frozenset[str]:
    """The states from which the procedure lets a case move to ``to_state``.

    The querysets of :mod:`forms_app.cases.policy` filter on these, so "which
    cases may move there" reads the same graph as "may this case move there".
    """
    return frozenset(state for state, targets in TRANSITIONS.items() if to_state in targets)


DEADLINE_REFERRAL = "referral"
DEADLINE_PLAN_APPROVAL = "plan_approval"
DEADLINE_REVIEW = "review"


class InvalidTransition(ValidationError):
    """A move the procedure does not allow from the case's current state."""

    def __init__(self, from_state: str, to_state: str) -> None:
        super().__init__(
            _("A case in state “%(from_state)s” cannot move to “%(to_state)s”."),
            code="invalid_transition",
            params={"from_state": _state_label(from_state), "to_state": _state_label(to_state)},
        )
        self.from_state = from_state
        self.to_state = to_state


def _state_label(state: str) -> str:
    # An unknown value (a typo, a tampered form) is shown as given rather than crashing.
    try:
        return CaseState(state).label
    except ValueError:
        return str(state)
