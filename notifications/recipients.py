"""Who is told: the school's case roles and principals, read from the memberships.

The same answers the case area gives (``forms_app.cases.access``): only active
users holding the role at that school, never a superuser by being one.
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from forms_app.cases.access import CASE_ROLES
from schools.models import Membership, School
from schools.roles import Role


def _holding(school_id: int, roles) -> QuerySet:
    return get_user_model().objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(school_id=school_id, role__in=list(roles)).values(
            "user_id"
        ),
    )


def case_roles(school: School | int) -> QuerySet:
    """Case workers and principals of ``school``: who receives its concerns."""
    return _holding(getattr(school, "pk", school), CASE_ROLES)


def principals(school: School | int) -> QuerySet:
    return _holding(getattr(school, "pk", school), [Role.PRINCIPAL])


def holds_case_role(user, school_id: int | None) -> bool:
    """Whether ``user`` is a case worker or principal of the school (read receipts)."""
    if school_id is None or not (user.is_authenticated and user.is_active):
        return False
    return Membership.objects.filter(
        user_id=user.pk, school_id=school_id, role__in=list(CASE_ROLES)
    ).exists()
