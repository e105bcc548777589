"""Which cases a user may read: the case area's read right, per school.

A case belongs to one school. Only an active member of that school holding a case
role (case worker or principal) may read or change it. No other role opens a case:
not an editor, not an administrator, not a district officer (who reads aggregate
figures only), and not a superuser without such a membership. Every view of the
case area asks this module about the object at hand; model permissions from the
role matrix only decide what the admin menu offers.

What a reader may *do* to a case now is :mod:`forms_app.cases.policy`, which
builds on these answers (and re-exports them, so ``policy.cases_for`` still reads).
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404

from forms_app.models import Case, CaseState
from schools.models import Membership, School
from schools.roles import Role, school_roles

__all__ = [
    "CASE_ROLES",
    "can_change_case",
    "can_delete_case",
    "can_list_cases",
    "can_open_case",
    "can_view_case",
    "case_school_ids",
    "case_schools",
    "case_staff",
    "cases_for",
    "get_case_or_404",
    "is_principal",
    "principal_school_ids",
]

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
    return school.pk in principal_school_ids(user)


def principal_school_ids(user) -> frozenset[int]:
    """Ids of the schools where ``user`` is a principal, from the roles cached on the user.

    The queryset twin of :func:`is_principal`: the to-do and the policy's querysets
    filter on these ids, the object checks ask :func:`is_principal`, and both read
    the same cache.
    """
    return frozenset(
        school_id for school_id, roles in _case_roles(user).items() if Role.PRINCIPAL in roles
    )


def can_open_case(user, school: School) -> bool:
    """Whether ``user`` may open a case (file an intake report, Mẫu 01) at ``school``."""
    return school.pk in _case_roles(user)


def case_staff(school: School) -> QuerySet:
    """Active users holding a case role at ``school``: whom one of its cases may be assigned to."""
    return get_user_model().objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(school=school, role__in=CASE_ROLES).values("user_id"),
    )
