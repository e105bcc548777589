"""Who may see and do what in the case area: the one place its authorization lives.

A case belongs to one school. Only an active member of that school holding a case
role (case worker or principal) may read or change it. No other role opens a case:
not an editor, not an administrator, not a district officer (who reads aggregate
figures only), and not a superuser without such a membership. Every view of the
case area asks this module about the object at hand; model permissions from the
role matrix only decide what the admin menu offers.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext

from forms_app.cases import procedure
from forms_app.models import Case, CaseState, InterventionPlan, Referral, Review
from schools.models import Membership, School
from schools.roles import Role, school_roles

__all__ = [
    "CASE_ROLES",
    "Permit",
    "can_change_case",
    "can_delete_case",
    "can_list_cases",
    "can_open_case",
    "can_view_case",
    "case_school_ids",
    "case_schools",
    "case_staff",
    "cases_for",
    "close_permit",
    "decide_permit",
    "get_case_or_404",
    "is_principal",
    "refer_permit",
    "referral_sent_permit",
    "start_plan_permit",
]

Status = InterventionPlan.Status
_UNSET: Any = object()

CASE_ROLES: frozenset[str] = frozenset({Role.CASE_WORKER, Role.PRINCIPAL})

# Set on the user object, as Django's ModelBackend caches permissions there: a
# request's user is built once per request, so a listing checking every row asks
# the database once. A long-lived user object whose memberships change must be
# fetched again.
_CACHE_ATTR = "_case_roles_by_school"


def _is_active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _case_memberships(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user_id=user.pk, role__in=CASE_ROLES)


def _case_roles(user) -> dict[int, frozenset[str]]:
    """The user's case roles per school id, read once per user object."""
    if not _is_active(user):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = {
            school_id: roles & CASE_ROLES
            for school_id, roles in school_roles(user).items()
            if roles & CASE_ROLES
        }
        setattr(user, _CACHE_ATTR, cached)
    return cached


def case_schools(user) -> QuerySet[School]:
    """Schools where the active ``user`` holds a case role; empty for everybody else.

    Being a superuser, an administrator or a district officer adds nothing here.
    """
    if not _is_active(user):
        return School.objects.none()
    return School.objects.filter(pk__in=_case_memberships(user).values("school_id"))


def case_school_ids(user) -> frozenset[int]:
    """Ids of :func:`case_schools`, cached on the user object for per-row checks."""
    return frozenset(_case_roles(user))


def cases_for(user) -> QuerySet[Case]:
    """The cases ``user`` may read: those of the schools where they hold a case role.

    Filters on the school ids cached on the user (as :func:`can_view_case` reads
    them), not on a subquery: the list and its object-level twin then agree by
    construction, and a single school becomes ``school_id = …``, which lets the
    database walk the (school, received) index in order instead of sorting every
    case of the school for each page of the list.
    """
    school_ids = case_school_ids(user)
    if not school_ids:
        return Case.objects.none()
    return Case.objects.filter(school_id__in=sorted(school_ids))


def get_case_or_404(user, pk: int | str) -> Case:
    """The case ``pk`` if ``user`` may read it.

    A case of another school, and a case that does not exist, answer the same
    Http404: a 403 would confirm to a stranger that the reference exists.
    """
    try:
        return cases_for(user).select_related("school", "assigned_worker").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No case matches the given query.") from exc


def can_list_cases(user) -> bool:
    """Whether ``user`` may open the case list (and sees the case area in the menu)."""
    return bool(_case_roles(user))


def can_view_case(user, case: Case) -> bool:
    """Whether ``user`` may read ``case``; the object-level twin of :func:`cases_for`."""
    return case.school_id in _case_roles(user)


def can_change_case(user, case: Case) -> bool:
    """Whether ``user`` may edit the learner's details and the assignment of ``case``.

    A closed case is a record: it is read, never changed; an archived one (always
    closed first, see ``forms_app.cases.retention``) even less so.
    """
    return can_view_case(user, case) and case.state != CaseState.CLOSED and case.archived_at is None


def can_delete_case(user, case: Case) -> bool:
    """Nobody deletes a case: records of a child's protection are kept, closed, never removed."""
    return False


def is_principal(user, school: School) -> bool:
    """Whether ``user`` is a principal (hiệu trưởng) of ``school``, who approves plans."""
    return Role.PRINCIPAL in _case_roles(user).get(school.pk, frozenset())


def can_open_case(user, school: School) -> bool:
    """Whether ``user`` may open a case (file an intake report, Mẫu 01) at ``school``."""
    return school.pk in _case_roles(user)


def case_staff(school: School) -> QuerySet:
    """Active users holding a case role at ``school``: whom one of its cases may be assigned to."""
    return get_user_model().objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(school=school, role__in=CASE_ROLES).values("user_id"),
    )


# Who may take which action, and whether now ------------------------------------------------


@dataclass(frozen=True)
class Permit:
    """The answer to "may this user take this action on this case now?".

    ``role_ok`` is False when the action is not theirs at all (a 403 whatever the
    state); ``reason`` says why it cannot be taken now although it is theirs.
    """

    role_ok: bool
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return self.role_ok and not self.reason


def _move_refusal(case: Case, to_state: str) -> str:
    """The transitions' own message when the procedure does not allow this move now."""
    if to_state in procedure.TRANSITIONS.get(case.state, set()):
        return ""
    return " ".join(procedure.InvalidTransition(case.state, to_state).messages)


def decide_permit(user, plan: InterventionPlan) -> Permit:
    """A principal of the case's school decides on a submitted plan they did not write."""
    if not is_principal(user, plan.case.school):
        return Permit(role_ok=False)
    if plan.status != Status.SUBMITTED:
        return Permit(True, gettext("Only a submitted plan can be approved or returned."))
    if plan.author_id is not None and plan.author_id == user.pk:
        return Permit(
            True,
            gettext(
                "The author of a plan cannot approve or return it; another principal must decide."
            ),
        )
    return Permit(True)


def start_plan_permit(user, case: Case) -> Permit:
    """Either case role starts carrying out the plan once the principal has approved it."""
    if not can_view_case(user, case):
        return Permit(role_ok=False)
    return Permit(True, _move_refusal(case, CaseState.IN_PROGRESS))


def refer_permit(user, case: Case) -> Permit:
    """Either case role refers a case straight from intake.

    Later referrals are concluded in Mẫu 02 or Mẫu 04, whose wizards make them,
    so the reason points there.
    """
    if not can_view_case(user, case):
        return Permit(role_ok=False)
    if case.state == CaseState.RECEIVED:
        return Permit(True)
    if CaseState.REFERRED in procedure.TRANSITIONS.get(case.state, set()):
        return Permit(
            True,
            gettext(
                "This screen refers a case just received. After the assessment, refer it "
                "through the assessment (Mẫu 02) or the review (Mẫu 04)."
            ),
        )
    return Permit(True, _move_refusal(case, CaseState.REFERRED))


def referral_sent_permit(user, referral: Referral) -> Permit:
    """Either case role records that a referral went out, once."""
    if not can_view_case(user, referral.case):
        return Permit(role_ok=False)
    if referral.sent_at is not None:
        return Permit(True, gettext("This referral has already been sent."))
    return Permit(True)


def latest_review(case: Case) -> Review | None:
    return Review.objects.filter(case=case).order_by("-created_at", "-pk").first()


def close_permit(user, case: Case, review: Review | None = _UNSET) -> Permit:
    """Only a principal closes, after a referral or after a review proposing to close."""
    if not is_principal(user, case.school):
        return Permit(role_ok=False)
    reason = _move_refusal(case, CaseState.CLOSED)
    if not reason and case.state == CaseState.REVIEWED:
        if review is _UNSET:
            review = latest_review(case)
        if review is None or review.conclusion != Review.Conclusion.CLOSE:
            reason = gettext("A case can only be closed after a review that proposes closing it.")
    return Permit(True, reason)
