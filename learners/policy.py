"""Who may read and keep a school's list of learners: each question an object check
paired with the queryset that answers the same question (tests/learners/test_policy.py
checks that the halves agree).

The list names children, so it is case data: the school's case roles (case workers
and principals, who pick a learner in an intake) and its administrator (who imports
the class lists from the school information system) reach it; nobody else does, not
an editor, a teacher, a district officer, nor a superuser without such a membership.
Anything else answers 404, the same as a learner who does not exist.
"""

from django.db.models import QuerySet
from django.http import Http404

from learners.models import Learner
from schools.models import School
from schools.roles import Role, school_roles

LEARNER_ROLES: frozenset[str] = frozenset({Role.CASE_WORKER, Role.PRINCIPAL, Role.ADMINISTRATOR})


def learner_school_ids(user) -> frozenset[int]:
    """Ids of the schools whose learners ``user`` may read and keep.

    Read from the roles cached on the user object, so a list checking every row asks
    the database once.
    """
    return frozenset(
        school_id for school_id, roles in school_roles(user).items() if roles & LEARNER_ROLES
    )


def learner_schools(user) -> QuerySet[School]:
    """The schools of :func:`learner_school_ids`, by name (the list's school choice)."""
    return School.objects.filter(pk__in=sorted(learner_school_ids(user))).order_by("name")


def can_list_learners(user, school: School | None = None) -> bool:
    """Whether ``user`` may open the list (of ``school``, or of any school when None);
    the object check paired with :func:`learner_schools`."""
    ids = learner_school_ids(user)
    return bool(ids) if school is None else school.pk in ids


def learners_for(user) -> QuerySet[Learner]:
    """The learners ``user`` may read and change: those of their schools."""
    ids = learner_school_ids(user)
    if not ids:
        return Learner.objects.none()
    return Learner.objects.filter(school_id__in=sorted(ids))


def can_view_learner(user, learner: Learner) -> bool:
    """The object-level twin of :func:`learners_for`."""
    return learner.school_id in learner_school_ids(user)


def get_learner_or_404(user, pk: int | str) -> Learner:
    """The learner ``pk`` if ``user`` may read it; a stranger's and a missing one alike 404."""
    try:
        return learners_for(user).select_related("school").get(pk=pk)
    except (Learner.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No learner matches the given query.") from error


def is_named_elsewhere(learner: Learner) -> bool:
    """Whether a case, a concern or a counselling entry names ``learner``: then it may
    leave the roll but is never deleted, so their link stays."""
    from counselling.models import CounsellingEntry

    return (
        learner.cases.exists()
        or learner.concerns.exists()
        or CounsellingEntry.learners.through.objects.filter(learner_id=learner.pk).exists()
    )
