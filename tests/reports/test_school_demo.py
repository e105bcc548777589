"""The demo's reports: every state the screens show, loaded once however often it runs."""

from django.core.management import call_command
from django.utils import timezone

from reports.models import SchoolReport
from reports.periods import school_year_of


def _states() -> dict:
    return {
        (r.school.code, r.period.school_year, r.period.kind): (r.state, r.version)
        for r in SchoolReport.objects.select_related("school", "period")
    }


def test_demo_reports_are_loaded_once(demo_data):
    current = school_year_of(timezone.localdate())
    call_command("load_demo_reports", stdout=open("/dev/null", "w"))  # noqa: SIM115
    states = _states()
    assert states[("HB", current - 1, "semester_1")] == ("accepted", 1)
    assert states[("HB", current - 1, "year")] == ("submitted", 1)
    assert states[("HB", current, "semester_1")] == ("draft", 0)
    assert states[("SM", current, "semester_1")] == ("submitted", 1)

    call_command("load_demo_reports", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _states() == states
    assert SchoolReport.objects.count() == 4


def test_past_versions_are_dated_when_they_were_sent(demo_data):
    call_command("load_demo_reports", stdout=open("/dev/null", "w"))  # noqa: SIM115
    report = SchoolReport.objects.get(school__code="HB", state="accepted")
    version = report.versions.get()
    assert timezone.localdate(version.submitted_at).month == 1
    assert version.figures["as_of"].startswith(str(report.period.school_year + 1))
    assert version.went_well
