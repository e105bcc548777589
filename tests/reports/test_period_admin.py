"""Operators adjust the reporting periods a province sets; nobody else sees them."""

import pytest
from django.contrib.auth import get_user_model

from reports import periods
from reports.models import ReportingPeriod
from schools.roles import Role
from tests.conftest import build_staff

URL = "/admin/snippets/reports/reportingperiod/"


@pytest.fixture
def operator(db):
    return get_user_model().objects.create_superuser("root", password="pw-root-1234")


def test_an_operator_moves_a_due_date(client, operator):
    period = periods.period(2026, ReportingPeriod.Kind.SEMESTER_1)
    client.force_login(operator)
    listing = client.get(URL)
    assert "Học kỳ I năm học 2026–2027" in listing.content.decode()
    response = client.post(
        f"{URL}edit/{period.pk}/",
        {
            "school_year": "2026",
            "kind": "semester_1",
            "starts_on": "2026-08-01",
            "ends_on": "2027-01-10",
            "due_on": "2027-01-20",
        },
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert str(period.due_on) == "2027-01-20"


def test_a_period_ending_before_it_starts_is_refused_in_vietnamese(client, operator):
    period = periods.period(2026, ReportingPeriod.Kind.YEAR)
    client.force_login(operator)
    response = client.post(
        f"{URL}edit/{period.pk}/",
        {
            "school_year": "2026",
            "kind": "year",
            "starts_on": "2026-08-01",
            "ends_on": "2026-07-01",
            "due_on": "2027-05-15",
        },
    )
    assert response.status_code == 200
    assert "Kỳ báo cáo không thể kết thúc trước khi bắt đầu." in response.content.decode()
    period.refresh_from_db()
    assert str(period.ends_on) == "2027-05-31"


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR])
def test_school_and_district_roles_do_not_edit_periods(client, school, role):
    periods.period(2026, ReportingPeriod.Kind.YEAR)
    client.force_login(build_staff("someone", role, school))
    assert client.get(URL).status_code in (302, 403, 404)
