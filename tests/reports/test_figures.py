"""A school's figures, each checked against the known semester of conftest.py, whose
numbers are worked out by hand there (``KNOWN``): working-time figures across a
weekend and a holiday, the cut at ``as_of``, another school's records never counted,
and a number of queries that does not grow with the records."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from counselling.models import CounsellingArea
from forms_app.models import Case, IssueCategory
from reports.figures import TABLES, TOTALS, compute_school_figures, overdue_by_school
from reports.periods import period
from tests.reports.conftest import KNOWN, at, build_staffed_school, clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(known_semester) -> dict:
    return compute_school_figures(
        known_semester.school, known_semester.period, as_of=known_semester.as_of
    )


def rows(figures: dict, table: str) -> dict[str, dict]:
    return {row["key"]: row for row in figures["tables"][table]["rows"]}


def test_every_total_matches_the_hand_computed_semester(figures):
    assert figures["totals"] == KNOWN["totals"]


def test_the_json_names_school_period_and_moment_and_survives_a_round_trip(figures, known_semester):
    assert figures["schema"] == 1
    assert figures["school"] == {
        "id": known_semester.school.pk,
        "code": "AL",
        "name": known_semester.school.name,
    }
    assert figures["period"] == {
        "id": known_semester.period.pk,
        "starts_on": "2026-08-01",
        "ends_on": "2027-01-10",
    }
    assert figures["as_of"] == "2027-01-12T09:30:00+07:00"
    assert list(figures["totals"]) == list(TOTALS)
    assert list(figures["tables"]) == list(TABLES)
    for key, table in figures["tables"].items():
        assert table["columns"] == list(TABLES[key][1]), key
    assert json.loads(json.dumps(figures)) == figures


def test_sessions_by_form_list_every_form_with_its_vietnamese_label(figures):
    table = figures["tables"]["sessions_by_form"]
    assert [(r["key"], r["label"], r["values"]) for r in table["rows"]] == [
        ("individual", "Cá nhân", KNOWN["sessions_by_form"]["individual"]),
        ("group", "Nhóm", KNOWN["sessions_by_form"]["group"]),
        ("class", "Cả lớp", KNOWN["sessions_by_form"]["class"]),
        ("online", "Trực tuyến", KNOWN["sessions_by_form"]["online"]),
        ("phone", "Qua điện thoại", KNOWN["sessions_by_form"]["phone"]),
    ]


def test_sessions_and_activities_by_area_list_active_areas_and_retired_ones_with_counts(
    figures, known_semester
):
    areas = known_semester.areas
    active = list(CounsellingArea.objects.filter(active=True).order_by("sort_order", "name"))
    for table in ("sessions_by_area", "activities_by_area"):
        found = rows(figures, table)
        expected = {f"area:{area.pk}": [0, 0] for area in active}
        for name, values in KNOWN[table].items():
            expected[f"area:{areas[name].pk}"] = values
        assert {key: row["values"] for key, row in found.items()} == expected, table
        # Labels are the names; rows in display order, the retired area among them.
        assert all(found[f"area:{a.pk}"]["label"] == a.name for a in active)
    keys = [row["key"] for row in figures["tables"]["sessions_by_area"]["rows"]]
    assert f"area:{areas['old'].pk}" in keys
    assert keys.index(f"area:{areas['a1'].pk}") < keys.index(f"area:{areas['a2'].pk}")
    # A retired area with no session is left out; with one, it keeps its name.
    assert len(keys) == len(active) + 1
    assert rows(figures, "sessions_by_area")[f"area:{areas['old'].pk}"]["label"] == (
        "Nội dung cũ (đã bỏ)"
    )


def test_sessions_and_cases_by_grade_and_gender(figures):
    for table, width in (("sessions_by_grade", 4), ("cases_by_grade", 3)):
        found = rows(figures, table)
        assert list(found) == [str(g) for g in range(1, 13)] + ["none"], table
        expected = {key: [0] * width for key in found}
        expected.update(KNOWN[table])
        assert {key: row["values"] for key, row in found.items()} == expected, table
        assert found["7"]["label"] == "Khối 7"
        assert found["none"]["label"] == "Không rõ khối"


def test_cases_by_category_count_a_case_in_each_of_its_categories(figures, known_semester):
    found = rows(figures, "cases_by_category")
    categories = list(IssueCategory.objects.filter(active=True).order_by("sort_order", "name"))
    assert list(found) == [f"category:{c.pk}" for c in categories] + ["none"]
    cat = known_semester.categories
    expected = {key: [0, 0, 0, 0] for key in found}
    expected[f"category:{cat['A'].pk}"] = KNOWN["cases_by_category"]["A"]
    expected[f"category:{cat['B'].pk}"] = KNOWN["cases_by_category"]["B"]
    expected["none"] = KNOWN["cases_by_category"]["none"]
    assert {key: row["values"] for key, row in found.items()} == expected
    assert found[f"category:{cat['A'].pk}"]["label"] == cat["A"].name
    assert found["none"]["label"] == "Không ghi loại vấn đề"


def test_labels_are_frozen_in_the_json_when_a_list_is_renamed_later(figures, known_semester):
    area = known_semester.areas["a1"]
    old_name = area.name
    area.name = "Tên mới"
    area.save()
    assert rows(figures, "sessions_by_area")[f"area:{area.pk}"]["label"] == old_name


def test_figures_cut_at_an_earlier_moment_count_nothing_after_it(known_semester):
    # Tuesday 24/11/2026 noon: C1–C9 received (C12 not yet), C1–C4 referred on 20/11, none
    # closed in the window yet; of the referrals only C1's was sent (Monday); P3, P4 and
    # P5 approved (P4, P5 on time); no review date has come; E6 and C12 are in January.
    as_of = at(2026, 11, 24, 12)
    totals = compute_school_figures(known_semester.school, known_semester.period, as_of=as_of)[
        "totals"
    ]
    assert totals == {
        "sessions": 6,
        "session_participants": 41,
        "cases_opened": 9,
        "cases_referred": 4,
        "cases_closed": 0,
        "cases_open": 10,
        "referrals": 4,
        "referrals_on_time": 1,
        "plans_approved": 3,
        "plans_approved_on_time": 2,
        "reviews_due": 0,
        "reviews_on_time": 0,
        # C4's referral falls due on 25/11 09:00 and C8's review on 15/12: not yet.
        "overdue": 0,
        "activities": 2,
        "activity_participants": 325,
    }


def test_as_of_defaults_to_now(known_semester):
    with clock(at(2026, 9, 30, 12)):
        figures = compute_school_figures(known_semester.school, known_semester.period)
    assert figures["as_of"] == "2026-09-30T12:00:00+07:00"
    # By 30/9 only E1, E2 (September) and A1 (20/9) had happened; no case yet.
    assert figures["totals"]["sessions"] == 2
    assert figures["totals"]["activities"] == 1
    assert figures["totals"]["cases_opened"] == 0


def test_another_school_counts_only_its_own(known_semester):
    totals = compute_school_figures(
        known_semester.other_school, known_semester.period, as_of=known_semester.as_of
    )["totals"]
    assert totals["sessions"] == 1
    assert totals["session_participants"] == 12
    assert totals["cases_opened"] == 1
    assert totals["referrals"] == 1
    assert totals["referrals_on_time"] == 0
    assert totals["overdue"] == 1
    assert totals["activities"] == 1
    assert totals["activity_participants"] == 500
    assert totals["plans_approved"] == 0


def test_the_year_report_covers_semester_one_and_stops_at_its_moment(known_semester):
    year = period(2026, "year")
    totals = compute_school_figures(known_semester.school, year, as_of=known_semester.as_of)[
        "totals"
    ]
    # 12/1 09:30 is inside the year: C13 (11/1) and E8 (11/1) now count, and C12's
    # closing at 09:00 on 12/1; A4 (15/1) is still to come.
    assert totals["cases_opened"] == KNOWN["totals"]["cases_opened"] + 1
    assert totals["sessions"] == KNOWN["totals"]["sessions"] + 1
    assert totals["cases_closed"] == KNOWN["totals"]["cases_closed"] + 1
    assert totals["activities"] == KNOWN["totals"]["activities"]


def test_overdue_by_school_counts_each_school_and_leaves_out_those_with_none(
    known_semester, make_school
):
    quiet = make_school("QT")
    ids = [known_semester.school.pk, known_semester.other_school.pk, quiet.pk]
    assert overdue_by_school(ids, as_of=known_semester.as_of) == {
        known_semester.school.pk: 2,
        known_semester.other_school.pk: 1,
    }
    # Before C4's referral fell due (Wed 25/11 09:00) nothing of AL's was overdue but
    # C4 of BK, due at the same time: nobody.
    assert overdue_by_school(ids, as_of=at(2026, 11, 25, 8, 59)) == {}
    assert overdue_by_school([quiet.pk], as_of=known_semester.as_of) == {}


def test_overdue_by_school_is_one_query(known_semester, django_assert_num_queries):
    with django_assert_num_queries(1):
        overdue_by_school([known_semester.school.pk], as_of=known_semester.as_of)


def test_no_encrypted_field_is_read(known_semester, monkeypatch):
    # The figures count by the clear columns: reading an encrypted one would decrypt it.
    from forms_app.fields import EncryptedFieldMixin

    def refuse(self, stored):
        raise AssertionError(f"a figure decrypted {self.model.__name__}.{self.name}")

    monkeypatch.setattr(EncryptedFieldMixin, "decrypt_stored", refuse)
    figures = compute_school_figures(
        known_semester.school, known_semester.period, as_of=known_semester.as_of
    )
    assert figures["totals"] == KNOWN["totals"]


# Queries ---------------------------------------------------------------------------------


def _build(builder, count: int, areas, category) -> None:
    """``count`` cases (referred and sent, a plan approved, half closed), entries, activities."""
    for n in range(count):
        day = datetime.date(2026, 9, 1) + datetime.timedelta(days=n)
        received = at(day.year, day.month, day.day, 8)
        case = builder.case(received, f"{6 + n % 4}A", ("male", "female")[n % 2], [category])
        referral = builder.refer(case, received + datetime.timedelta(hours=1))
        builder.send(referral, received + datetime.timedelta(hours=2))
        if n % 2:
            builder.close(case, received + datetime.timedelta(hours=3))
        builder.entry(day, areas[n % len(areas)], "group", 3, 6 + n % 4, "mixed")
        builder.activity(day, areas[n % len(areas)], 50)
    other = builder.case(at(2026, 9, 1, 8), "9A", "female")
    plan = builder.plan(other, at(2026, 9, 3, 10), review_date=datetime.date(2026, 10, 3))
    builder.approve(plan, at(2026, 9, 4, 10))


def _queries(builder, semester) -> int:
    with CaptureQueriesContext(connection) as captured:
        figures = compute_school_figures(builder.school, semester, as_of=at(2027, 1, 12))
    return len(captured), figures


def test_the_number_of_queries_does_not_grow_with_the_records():
    semester = period(2026, "semester_1")
    areas = list(CounsellingArea.objects.filter(active=True)[:3])
    category = IssueCategory.objects.filter(active=True).first()
    small, large = build_staffed_school("S3"), build_staffed_school("S30")
    _build(small, 3, areas, category)
    _build(large, 30, areas, category)
    few, small_figures = _queries(small, semester)
    many, large_figures = _queries(large, semester)
    assert small_figures["totals"]["cases_opened"] == 4
    assert large_figures["totals"]["cases_opened"] == 31
    assert large_figures["totals"]["sessions"] == 30
    assert large_figures["totals"]["referrals_on_time"] == 30
    assert large_figures["totals"]["cases_closed"] == 15
    assert few == many
    assert many <= 15
    assert Case.objects.filter(school=large.school).count() == 31
