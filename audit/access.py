"""Who may read the access audit: the one place that decides it.

The audit says who looked at which case, so it is read by those answerable for
a school's handling of cases: its principals, and its administrators (who run
the accounts the audit names). Not by case workers (whose own reading is what is
audited), editors, or district officers (aggregate figures only: the audit is
confidential). Being a superuser adds nothing, as in the case area. Entries hold
references and user names, never a child's name, so an administrator reading
them reads no case.
"""

from __future__ import annotations

from schools.roles import Role, school_roles

__all__ = ["AUDIT_ROLES", "audit_school_ids", "can_read_audit"]

AUDIT_ROLES: frozenset[str] = frozenset({Role.PRINCIPAL, Role.ADMINISTRATOR})

_CACHE_ATTR = "_audit_school_ids"


def audit_school_ids(user) -> frozenset[int]:
    """Ids of the schools whose audit ``user`` may read; cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(
            school_id for school_id, roles in school_roles(user).items() if roles & AUDIT_ROLES
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def can_read_audit(user, school_id: int | None = None) -> bool:
    """Whether ``user`` reads the audit of ``school_id`` (of any school, when None)."""
    schools = audit_school_ids(user)
    return bool(schools) if school_id is None else school_id in schools
