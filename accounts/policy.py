"""Who must sign in with a second factor.

Anyone who can open a child's record (case workers, principals) or change who can
(administrators, superusers) must prove a second factor: a stolen password alone
must not reach case data. Staff without such a role may enrol of their own accord,
and once they have, their second factor is asked for like anyone else's.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django_otp import devices_for_user

from schools.roles import Role

TWO_FACTOR_ROLES = frozenset({Role.CASE_WORKER, Role.PRINCIPAL, Role.ADMINISTRATOR})


def requires_two_factor(user: AbstractBaseUser) -> bool:
    """True when the user's roles oblige them to use a second factor."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.school_memberships.filter(role__in=TWO_FACTOR_ROLES).exists()


def has_confirmed_device(user: AbstractBaseUser) -> bool:
    """True when the user has finished enrolling a second factor."""
    return any(True for _device in devices_for_user(user, confirmed=True))


def must_verify(user: AbstractBaseUser) -> bool:
    """True when this user's session has to be verified by a second factor."""
    return requires_two_factor(user) or has_confirmed_device(user)
