"""Which schools, staff and roles a user may manage: the one home of the tenancy rule.

A school's administrator ("Quản trị") keeps the school's public site and staff in
order; nothing they do may reach another school. Every admin surface that lists or
changes something belonging to a school (the school itself, its staff, its help
lines, its calendar, its referral bodies) asks this module, both for
the list (a queryset) and for the one object (a yes or no), so the two answers can
never drift apart. What belongs to the whole deployment (districts, sites, the shared
reference lists, topics and audiences, national help lines) is managed by superusers
only: a superuser is the deployment's operator, and the only account that manages
several schools.

Granting a role is the way into a child's record, so three more rules apply:

- nobody but a superuser makes a superuser (the user forms drop the field);
- nobody grants a role they do not hold at that school themselves: an administrator
  may add editors, administrators and teachers (or other staff); case roles are
  granted by a superuser or by an administrator who is also the school's principal
  (the principal appoints the counselling team, Thông tư 18/2025, and reads every
  case of the school already);
- nobody changes their own memberships: a second person does it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet

from schools.roles import Role, school_roles

# A role "covers" another when it already carries every right of the other at the
# same school, so granting the covered role gives nobody more than the granter has.
COVERS: dict[str, frozenset[str]] = {
    # A teacher's role opens nothing but the concern form, so whoever manages the
    # school's staff gives it.
    Role.ADMINISTRATOR: frozenset({Role.ADMINISTRATOR, Role.EDITOR, Role.STAFF}),
    Role.PRINCIPAL: frozenset({Role.PRINCIPAL, Role.CASE_WORKER, Role.EDITOR, Role.STAFF}),
    Role.CASE_WORKER: frozenset({Role.CASE_WORKER}),
    Role.EDITOR: frozenset({Role.EDITOR}),
    Role.DISTRICT_OFFICER: frozenset(),
    Role.STAFF: frozenset(),
}


def is_operator(user: AbstractBaseUser | None) -> bool:
    """True for the deployment's operators (superusers), who manage every school."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def administered_school_ids(user: AbstractBaseUser | None) -> frozenset[int] | None:
    """Ids of the schools where ``user`` is an administrator; None means every school.

    An inactive or anonymous user administers nothing (an empty set).
    """
    if is_operator(user):
        return None
    return frozenset(
        school_id for school_id, roles in school_roles(user).items() if Role.ADMINISTRATOR in roles
    )


def administered_schools(user: AbstractBaseUser | None) -> QuerySet:
    """The schools ``user`` may manage, as a queryset."""
    from schools.models import School

    ids = administered_school_ids(user)
    return School.objects.all() if ids is None else School.objects.filter(pk__in=ids)


def scope_to_schools(
    queryset: QuerySet, user: AbstractBaseUser | None, school_field: str = "school"
) -> QuerySet:
    """``queryset`` narrowed to rows of the schools ``user`` manages.

    Rows with no school (deployment-wide) stay only for operators.
    """
    ids = administered_school_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{school_field}__in": ids})


def users_managed_by(user: AbstractBaseUser | None) -> QuerySet:
    """Accounts ``user`` may see and change in the admin (unlock, edit, deactivate).

    An operator manages everyone. An administrator manages the accounts whose every
    membership is at a school they administer, and never a superuser: editing an
    account that also works at another school (its password, its e-mail) would reach
    that school too. Accounts with no membership belong to nobody but the operators.
    """
    User = get_user_model()
    ids = administered_school_ids(user)
    if ids is None:
        return User.objects.all()
    if not ids:
        return User.objects.none()
    from schools.models import Membership

    inside = Membership.objects.filter(user=OuterRef("pk"), school_id__in=ids)
    outside = Membership.objects.filter(user=OuterRef("pk")).exclude(school_id__in=ids)
    return User.objects.filter(Exists(inside), ~Exists(outside), is_superuser=False)


def manages_user(user: AbstractBaseUser | None, other: AbstractBaseUser) -> bool:
    """The object check paired with :func:`users_managed_by`."""
    if is_operator(user):
        return True
    return users_managed_by(user).filter(pk=other.pk).exists()


def grantable_roles(user: AbstractBaseUser | None, school_id: int | None) -> frozenset[str]:
    """The roles ``user`` may give to someone else at ``school_id``."""
    if is_operator(user):
        return frozenset(Role.values)
    if school_id is None:
        return frozenset()
    held = school_roles(user).get(school_id, frozenset())
    if Role.ADMINISTRATOR not in held:
        return frozenset()
    granted: set[str] = set()
    for role in held:
        granted |= COVERS.get(role, frozenset())
    return frozenset(granted)


def may_grant(
    user: AbstractBaseUser | None, school_id: int | None, role: str, grantee_id: int | None
) -> bool:
    """True when ``user`` may add (or remove) ``role`` at ``school_id`` for ``grantee_id``.

    Removing a role is held to the same rule as adding it: an administrator who could
    take the principal's role away could then give it to a friend.
    """
    if user is None or not user.is_authenticated:
        return False
    if grantee_id is not None and grantee_id == user.pk:
        return False
    return role in grantable_roles(user, school_id)


def role_choices_for(
    user: AbstractBaseUser | None, school_id: int | None, current: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """Role choices a form offers ``user`` at ``school_id`` (plus roles already chosen)."""
    allowed = grantable_roles(user, school_id) | set(current)
    return [(value, label) for value, label in Role.choices if value in allowed]
