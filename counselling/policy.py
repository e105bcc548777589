"""Who reads and keeps a school's counselling log and activities: each question an
object check paired with the queryset answering it.

The log is about children, so only the school's counselling team (case workers) and
principals reach entries; nobody else, not an editor, a teacher, a district officer or
a superuser without such a membership. A stranger's entry answers 404, like a missing
one. Activities name no child but belong to the same team's work, so the same roles
keep them.
"""

from django.db.models import QuerySet
from django.http import Http404

from counselling.models import Activity, CounsellingEntry
from schools.models import School
from schools.roles import Role, school_roles

LOG_ROLES: frozenset[str] = frozenset({Role.CASE_WORKER, Role.PRINCIPAL})


def log_school_ids(user) -> frozenset[int]:
    """Ids of the schools whose log ``user`` may read and write (roles cached on the user)."""
    return frozenset(
        school_id for school_id, roles in school_roles(user).items() if roles & LOG_ROLES
    )


def log_schools(user) -> QuerySet[School]:
    """The schools of :func:`log_school_ids`, by name."""
    return School.objects.filter(pk__in=sorted(log_school_ids(user))).order_by("name")


def can_use_log(user, school: School | None = None) -> bool:
    """Whether ``user`` may open the log (of ``school``, or of any school when None)."""
    ids = log_school_ids(user)
    return bool(ids) if school is None else school.pk in ids


def entries_for(user) -> QuerySet[CounsellingEntry]:
    """The entries ``user`` may read and change: those of their schools."""
    ids = log_school_ids(user)
    if not ids:
        return CounsellingEntry.objects.none()
    return CounsellingEntry.objects.filter(school_id__in=sorted(ids))


def can_view_entry(user, entry: CounsellingEntry) -> bool:
    """The object-level twin of :func:`entries_for`."""
    return entry.school_id in log_school_ids(user)


def get_entry_or_404(user, pk: int | str) -> CounsellingEntry:
    """The entry ``pk`` if ``user`` may read it; a stranger's and a missing one alike 404."""
    try:
        return entries_for(user).select_related("school", "area").get(pk=pk)
    except (CounsellingEntry.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No entry matches the given query.") from error


def activities_for(user) -> QuerySet[Activity]:
    """The activities ``user`` may read and change: those of their schools."""
    ids = log_school_ids(user)
    if not ids:
        return Activity.objects.none()
    return Activity.objects.filter(school_id__in=sorted(ids))


def can_view_activity(user, activity: Activity) -> bool:
    """The object-level twin of :func:`activities_for`."""
    return activity.school_id in log_school_ids(user)


def get_activity_or_404(user, pk: int | str) -> Activity:
    """The activity ``pk`` if ``user`` may read it; otherwise 404."""
    try:
        return activities_for(user).select_related("school", "area").get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No activity matches the given query.") from error
