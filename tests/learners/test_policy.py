"""Who reaches a school's list of learners: the object check and the queryset agree,
for every role, at the school and at another."""

import pytest
from django.contrib.auth import get_user_model
from django.http import Http404

from learners import policy
from schools.roles import Role
from tests.conftest import build_staff

READERS = {Role.CASE_WORKER, Role.PRINCIPAL, Role.ADMINISTRATOR}


@pytest.fixture
def learners(school, other_school, learner_of):
    return [
        learner_of(school, "Học sinh Thử Một"),
        learner_of(school, "Học sinh Thử Hai", "7B", on_roll=False),
        learner_of(other_school, "Học sinh Thử Ba"),
    ]


def _users(school, other_school):
    users = [build_staff(f"u-{role}", role, school) for role in Role.values]
    users.append(build_staff("two-schools", Role.CASE_WORKER, school, other_school))
    users.append(build_staff("elsewhere", Role.PRINCIPAL, other_school))
    users.append(get_user_model().objects.create_superuser("operator", password="x"))
    inactive = build_staff("inactive", Role.CASE_WORKER, school)
    inactive.is_active = False
    inactive.save()
    users.append(inactive)
    return users


def test_object_check_and_queryset_agree_for_every_role(school, other_school, learners):
    for user in _users(school, other_school):
        listed = set(policy.learners_for(user))
        for learner in learners:
            assert policy.can_view_learner(user, learner) == (learner in listed), user
        schools = set(policy.learner_schools(user))
        for candidate in (school, other_school):
            assert policy.can_list_learners(user, candidate) == (candidate in schools)
        assert policy.can_list_learners(user) == bool(schools)


@pytest.mark.parametrize("role", Role.values)
def test_only_case_roles_and_the_administrator_read_the_list(school, learners, role):
    user = build_staff("someone", role, school)
    assert policy.can_list_learners(user, school) == (role in READERS)
    assert {learner.full_name for learner in policy.learners_for(user)} == (
        {"Học sinh Thử Một", "Học sinh Thử Hai"} if role in READERS else set()
    )


def test_a_superuser_without_a_membership_reads_no_learner(school, learners):
    operator = get_user_model().objects.create_superuser("operator", password="x")
    assert not policy.can_list_learners(operator)
    with pytest.raises(Http404):
        policy.get_learner_or_404(operator, learners[0].pk)


def test_another_schools_learner_is_a_404_like_a_missing_one(school, learners):
    worker = build_staff("worker", Role.CASE_WORKER, school)
    assert policy.get_learner_or_404(worker, learners[0].pk) == learners[0]
    for pk in (learners[2].pk, 999_999, "abc"):
        with pytest.raises(Http404):
            policy.get_learner_or_404(worker, pk)


def test_a_learner_named_by_a_case_is_never_deleted(school, learners):
    from forms_app.cases.opening import open_case

    worker = build_staff("worker", Role.CASE_WORKER, school)
    assert not policy.is_named_elsewhere(learners[0])
    open_case(school, worker, learner_name="Học sinh Thử Một", learner=learners[0])
    assert policy.is_named_elsewhere(learners[0])


def test_a_learner_named_by_a_counselling_entry_is_never_deleted(school, learners):
    from counselling.models import CounsellingArea, CounsellingEntry

    entry = CounsellingEntry.objects.create(school=school, area=CounsellingArea.objects.first())
    assert not policy.is_named_elsewhere(learners[0])
    entry.learners.add(learners[0])
    assert policy.is_named_elsewhere(learners[0])
