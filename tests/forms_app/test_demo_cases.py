"""The demo cases of ``make run``: loaded once, fictitious, and read only by their own school.

Here rather than with the other permission tests because ``load_demo_cases`` must
find a database holding only the demo data: the permission tests share rows built
once for their whole module.
"""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from forms_app.cases import policy
from forms_app.models import Case, CaseEvent, CaseState, IntakeReport, InterventionPlan, Review

LIST_URL = "/admin/forms_app/case/"


def _case_area_counts() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "intakes": IntakeReport.objects.count(),
        "plans": InterventionPlan.objects.count(),
        "reviews": Review.objects.count(),
    }


def test_demo_cases_load_once_and_are_fictitious(demo_data):
    first = _case_area_counts()
    call_command("load_demo_cases", stdout=io.StringIO())
    assert _case_area_counts() == first

    for code in ("HB", "SM"):
        cases = Case.objects.filter(school__code=code)
        assert cases.count() == 7
        assert all("(giả định)" in case.learner_name for case in cases)
        assert {case.assigned_worker.username for case in cases} == {f"ctxh.{code.lower()}"}
        assert {
            CaseState.RECEIVED,
            CaseState.ASSESSED,
            CaseState.PLAN_SUBMITTED,
            CaseState.PLAN_APPROVED,
            CaseState.IN_PROGRESS,
            CaseState.REFERRED,
            CaseState.CLOSED,
        } == set(cases.values_list("state", flat=True))
        # A plan waiting past its 3 working days, a review date passed, a referral late.
        overdue = {case.state for case in cases if case.is_overdue}
        assert overdue == {CaseState.PLAN_SUBMITTED, CaseState.IN_PROGRESS, CaseState.REFERRED}
        assert IntakeReport.objects.filter(case__in=cases).count() == 7
        assert all(case.events.exists() for case in cases)


def test_demo_case_worker_sees_only_own_school_demo_cases(demo_data, client_as):
    worker = get_user_model().objects.get(username="ctxh.hb")
    response = client_as(worker).get(LIST_URL)
    assert response.status_code == 200
    assert {c.school.code for c in response.context["object_list"]} == {"HB"}


def test_demo_administrator_reads_no_demo_case(demo_data, client_as):
    admin = get_user_model().objects.get(username="quantri")
    assert not policy.cases_for(admin).exists()
    case = Case.objects.filter(school__code="HB").first()
    inspect_url = reverse("forms_app_case_modeladmin_inspect", args=[case.pk])
    assert client_as(admin).get(inspect_url).status_code == 404


def test_demo_cases_skip_a_school_without_its_case_worker(make_school):
    make_school("HB")
    out = io.StringIO()
    call_command("load_demo_cases", stdout=out)
    assert not Case.objects.exists()
    assert "Skipping HB" in out.getvalue()
