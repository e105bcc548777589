"""The reports' part of the bench dataset (bench/figures.py): a school's year of cases,
log entries and activities, and a district whose schools sent their year report, built
small and measured as the runner measures them."""

from collections.abc import Iterator

import pytest

from bench import figures, reports_measure
from bench.dataset import build
from counselling.models import Activity, CounsellingEntry
from forms_app.models import Case, InterventionPlan, Referral, Review
from reports.figures import TOTALS
from reports.models import SchoolReportVersion
from reports.policy import district_school_ids
from tests.forms_app.module_data import copied, module_transaction

COUNTS = {
    "plans": 1,
    "campaigns": 1,
    "materials": 1,
    "hotlines": 1,
    "cases": 0,
    "concerns": 0,
    "figure_cases": 60,
    "figure_entries": 120,
    "figure_activities": 6,
    "district_schools": 3,
}


@pytest.fixture(scope="module")
def _built(request, django_db_setup, django_db_blocker) -> Iterator[dict]:
    """Built once for the module, in a transaction rolled back after it (module_data.py)."""
    with module_transaction(request, django_db_blocker) as data:
        yield data.build(build, COUNTS)


@pytest.fixture
def manifest(db, _built):
    return copied(_built)


def test_the_figures_school_has_what_was_asked_spread_over_states_and_records(manifest):
    section = manifest["figures"]
    cases = Case.objects.filter(school_id=section["school_id"])
    assert cases.count() == section["cases"] == COUNTS["figure_cases"]
    assert cases.values("state").distinct().count() >= 5
    assert cases.values("count_grade").distinct().count() >= 3
    assert Referral.objects.filter(case__in=cases).exists()
    assert InterventionPlan.objects.filter(case__in=cases, status="approved").exists()
    assert Review.objects.filter(case__in=cases).exists()
    school_entries = CounsellingEntry.objects.filter(school_id=section["school_id"])
    assert school_entries.count() == COUNTS["figure_entries"]
    assert Activity.objects.filter(school_id=section["school_id"]).count() == 6


def test_the_district_officer_reads_every_submitted_year_report(manifest, django_user_model):
    section = manifest["figures"]
    officer = django_user_model.objects.get(username=section["officer"]["username"])
    versions = SchoolReportVersion.objects.filter(
        report__period_id=section["period_id"], report__school__district__code=figures.DISTRICT_CODE
    )
    assert versions.count() == COUNTS["district_schools"]
    assert {v.report.school_id for v in versions} == set(district_school_ids(officer))
    assert all(set(v.figures["totals"]) == set(TOTALS) for v in versions)
    assert section["overview_url"] == f"/admin/phong-gd/?period={section['period_id']}"


def test_the_runner_times_the_year_figures_and_the_district_overview(manifest):
    results = reports_measure.measure(manifest, runs=2)
    assert results["figures"]["runs"] == 2
    assert results["figures"]["queries"] <= 15
    assert results["figures"]["cases_opened"] > 0
    assert results["figures"]["sessions"] > 0
    assert results["district"]["status"] == 200
    assert results["district"]["p99_ms"] >= results["district"]["p50_ms"] > 0
