"""Who reaches the log: the school's counselling team and principals; nobody else, and
never another school's entry or activity."""

import pytest

from counselling import policy
from counselling.models import CounsellingEntry
from schools.roles import Role
from tests.conftest import build_staff
from tests.counselling.conftest import (
    ACTIVITIES,
    ACTIVITY_NEW,
    LIST,
    NEW,
    activity_url,
    edit_url,
    entry_data,
    entry_url,
)


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.PRINCIPAL])
def test_case_workers_and_principals_reach_every_screen(
    client_as, staff_of, school, make_entry, make_activity, role
):
    entry, activity = make_entry(school), make_activity(school)
    client = client_as(staff_of(role))
    for url in (
        LIST,
        NEW,
        entry_url(entry),
        edit_url(entry),
        ACTIVITIES,
        ACTIVITY_NEW,
        activity_url(activity),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "role", [Role.STAFF, Role.EDITOR, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR]
)
def test_teachers_editors_district_officers_and_administrators_get_404_everywhere(
    client_as, staff_of, school, area, make_entry, make_activity, role
):
    entry, activity = make_entry(school, notes="Em lo lắng về kỳ thi"), make_activity(school)
    client = client_as(staff_of(role))
    for url in (
        LIST,
        NEW,
        entry_url(entry),
        edit_url(entry),
        ACTIVITIES,
        ACTIVITY_NEW,
        activity_url(activity),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(NEW, entry_data(area)).status_code == 404
    assert client.post(edit_url(entry), entry_data(area, notes="đổi")).status_code == 404
    assert CounsellingEntry.objects.count() == 1
    entry.refresh_from_db()
    assert entry.notes == "Em lo lắng về kỳ thi"


def test_a_superuser_without_a_case_role_reads_no_entry(client_as, school, make_entry):
    from django.contrib.auth import get_user_model

    boss = get_user_model().objects.create_superuser("root", password="pw-root")
    entry = make_entry(school)
    client = client_as(boss)
    assert client.get(entry_url(entry)).status_code == 404
    assert client.get(LIST).status_code == 404


def test_another_schools_entry_and_activity_are_404(
    worker_client, other_school, area, make_entry, make_activity
):
    theirs, their_activity = make_entry(other_school, notes="bí mật"), make_activity(other_school)
    for url in (entry_url(theirs), edit_url(theirs), activity_url(their_activity)):
        assert worker_client.get(url).status_code == 404, url
    assert worker_client.post(edit_url(theirs), entry_data(area)).status_code == 404
    assert worker_client.post(activity_url(their_activity), {"title": "x"}).status_code == 404
    listing = worker_client.get(LIST)
    assert listing.context["count"] == 0
    # A school in the address that is not one's own shows one's own log, never theirs.
    assert worker_client.get(LIST, {"school": other_school.pk}).context["count"] == 0
    assert worker_client.get(ACTIVITIES).context["count"] == 0


def test_the_object_check_and_the_queryset_agree(
    school, other_school, make_entry, make_activity, make_staff
):
    entries = [make_entry(school), make_entry(other_school)]
    activities = [make_activity(school), make_activity(other_school)]
    users = [
        build_staff("cw", Role.CASE_WORKER, school),
        build_staff("hp", Role.PRINCIPAL, other_school),
        build_staff("both", Role.CASE_WORKER, school, other_school),
        build_staff("ed", Role.EDITOR, school),
        build_staff("pgd", Role.DISTRICT_OFFICER, school, other_school),
        build_staff("gv", Role.STAFF, school),
    ]
    for user in users:
        listed = set(policy.entries_for(user).values_list("pk", flat=True))
        assert listed == {e.pk for e in entries if policy.can_view_entry(user, e)}, user
        kept = set(policy.activities_for(user).values_list("pk", flat=True))
        assert kept == {a.pk for a in activities if policy.can_view_activity(user, a)}, user
    assert {e.pk for e in CounsellingEntry.objects.all()} == set(
        policy.entries_for(users[2]).values_list("pk", flat=True)
    )
    assert not policy.entries_for(users[3]).exists()
    assert not policy.activities_for(users[4]).exists()
