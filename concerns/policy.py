"""Who may do what with a concern: each question an object check paired with the
queryset that answers the same question (tests/concerns/test_policy.py checks that
the halves agree).

- Any member of a school's staff except the district officer may raise a concern for
  that school, and reads back only the status of their own concerns: never the case,
  never anyone else's concern.
- The school's case roles (case workers and principals, as for cases) receive them:
  the triage queue, the item, its decisions and the help channel's replies.
"""

from django.db.models import QuerySet
from django.http import Http404

from concerns.models import Channel, Concern
from forms_app.cases.access import case_school_ids
from schools.models import Membership, School
from schools.roles import Role

# Everybody of the school's staff may tell the counselling team what they saw; the
# district officer belongs to no school's staff.
RAISING_ROLES: frozenset[str] = frozenset(set(Role.values) - {Role.DISTRICT_OFFICER})


def _is_active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


# Set on the user object, as forms_app.cases.access caches the case roles: the two menu
# items and the dashboard ask within one request.
_RAISING_ATTR = "_concern_raising_school_ids"


def raising_school_ids(user) -> frozenset[int]:
    """Schools for which ``user`` may raise a concern, read once per user object."""
    if not _is_active(user):
        return frozenset()
    cached = getattr(user, _RAISING_ATTR, None)
    if cached is None:
        cached = frozenset(
            Membership.objects.filter(user_id=user.pk, role__in=RAISING_ROLES).values_list(
                "school_id", flat=True
            )
        )
        setattr(user, _RAISING_ATTR, cached)
    return cached


def raising_schools(user) -> QuerySet[School]:
    return School.objects.filter(pk__in=raising_school_ids(user)).order_by("name")


def can_raise(user, school: School) -> bool:
    return school.pk in raising_school_ids(user)


def own_concerns(user) -> QuerySet[Concern]:
    """The concerns ``user`` raised as staff: they read these (status and their own
    notes) and nothing else of the front door."""
    if not _is_active(user):
        return Concern.objects.none()
    return Concern.objects.filter(reporter_id=user.pk, channel=Channel.STAFF)


def is_own_concern(user, concern: Concern) -> bool:
    return _is_active(user) and concern.channel == Channel.STAFF and concern.reporter_id == user.pk


def get_own_concern_or_404(user, pk: int | str) -> Concern:
    try:
        return own_concerns(user).get(pk=pk)
    except (Concern.DoesNotExist, ValueError) as error:
        raise Http404 from error


def triage_school_ids(user) -> frozenset[int]:
    """Schools whose concerns ``user`` receives: where they hold a case role."""
    return case_school_ids(user) if _is_active(user) else frozenset()


def concerns_for_triage(user) -> QuerySet[Concern]:
    """The concerns ``user`` may read and decide on: those of the schools where they
    hold a case role, whatever the channel."""
    ids = triage_school_ids(user)
    if not ids:
        return Concern.objects.none()
    if len(ids) == 1:
        # "school_id = x" lets the database walk the queue index in order; an IN list,
        # even of one, makes SQLite sort every item of the school.
        (only,) = ids
        return Concern.objects.filter(school_id=only)
    return Concern.objects.filter(school_id__in=ids)


def can_triage(user, concern: Concern) -> bool:
    return concern.school_id in triage_school_ids(user)


def get_concern_for_triage_or_404(user, pk: int | str) -> Concern:
    try:
        return concerns_for_triage(user).get(pk=pk)
    except (Concern.DoesNotExist, ValueError) as error:
        raise Http404 from error
