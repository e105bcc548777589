"""The demo's counselling log: a semester per demo school, loaded once however often
the command runs."""

import datetime

from django.core.management import call_command

from counselling.demo import load_demo_counselling, semester_start
from counselling.models import Activity, CounsellingEntry
from tests.conftest import build_school


def test_the_demo_fills_each_demo_school_once(db):
    hb, sm = build_school("HB"), build_school("SM")
    today = datetime.date(2026, 12, 3)
    assert load_demo_counselling(today) == 2
    counts = {s: CounsellingEntry.objects.filter(school=s).count() for s in (hb, sm)}
    assert counts == {hb: 60, sm: 60}
    assert Activity.objects.filter(school=hb).count() == 8
    entries = CounsellingEntry.objects.filter(school=hb)
    assert {e.held_on for e in entries} <= {
        semester_start(today) + datetime.timedelta(days=n) for n in range(125)
    }
    assert len({e.form for e in entries}) == 5
    assert len({e.outcome for e in entries}) >= 2

    call_command("load_demo_counselling", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert CounsellingEntry.objects.count() == 120
    assert Activity.objects.count() == 16


def test_on_the_demo_world_some_sessions_name_demo_learners(demo_data):
    call_command("load_demo_learners", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo_counselling", stdout=open("/dev/null", "w"))  # noqa: SIM115
    named = CounsellingEntry.objects.filter(learners__isnull=False).distinct()
    assert named.exists()
    for entry in named:
        assert {learner.school_id for learner in entry.learners.all()} == {entry.school_id}
    linked = Activity.objects.filter(campaign__isnull=False).select_related("school", "campaign")
    assert linked.exists()
    for activity in linked:
        assert activity.campaign.is_descendant_of(activity.school.root_page)
