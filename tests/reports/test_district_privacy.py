"""THE test of the district side: a district officer walks every district screen,
export and download of a district whose schools have cases, counselling entries and
submitted reports full of small counts, and finds no learner's name, no case
reference, no date of birth and no small count where it was; every district URL of
another district's school is a 404."""

import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from counselling.models import Activity, CounsellingArea, CounsellingEntry
from forms_app.cases.opening import open_case
from learners.models import Learner
from reports import rollup, transitions
from reports.models import SchoolReport
from schools.models import District
from schools.roles import Role
from tests.conftest import build_school, build_staff

CASE_REFERENCE = re.compile(r"[A-Z]{2,}-\d{4}-\d{4}")
SMALL = "< 5"

# Two of the officer's schools and one of another district; each learner with a date of birth.
LEARNERS = {
    "HB": [("Nguyễn Thị Hồng Nhung", datetime.date(2013, 4, 17), "7A", "female")],
    "SM": [
        ("Trần Văn Khải", datetime.date(2012, 9, 3), "8B", "male"),
        ("Lê Bảo Châu", datetime.date(2014, 1, 28), "6C", "female"),
    ],
    "XA": [("Phạm Quốc Việt", datetime.date(2011, 11, 30), "9A", "male")],
}


def date_texts(day: datetime.date) -> list[str]:
    return [day.strftime("%d/%m/%Y"), day.isoformat(), f"{day.day}/{day.month}/{day.year}"]


def build_school_with_records(code: str, name: str, district: District, semester) -> SchoolReport:
    """A school with learners, cases about them, counselling entries naming them (notes
    too) and an activity, whose principal has submitted the period's report."""
    school = build_school(code, name, district=district)
    worker = build_staff(f"ctxh.{code.lower()}", Role.CASE_WORKER, school)
    principal = build_staff(f"ht.{code.lower()}", Role.PRINCIPAL, school)
    area = CounsellingArea.objects.filter(active=True).order_by("sort_order", "pk").first()
    now = timezone.now()
    for full_name, born, class_name, gender in LEARNERS[code]:
        learner = Learner.objects.create(
            school=school, full_name=full_name, birth_date=born, class_name=class_name
        )
        open_case(
            school,
            worker,
            received_at=now - datetime.timedelta(hours=2),
            learner_name=full_name,
            learner_birth_date=born,
            learner_class=class_name,
            learner_gender=gender,
        )
        entry = CounsellingEntry.objects.create(
            school=school,
            held_on=timezone.localdate(),
            area=area,
            grade=int(class_name[0]),
            gender=gender,
            notes=f"{full_name} (sinh {born:%d/%m/%Y}) lo lắng về kỳ thi.",
            counsellor=worker,
        )
        entry.learners.add(learner)
    Activity.objects.create(
        school=school,
        title="Nói chuyện chuyên đề",
        held_on=timezone.localdate(),
        area=area,
        participants=120,
        created_by=worker,
    )
    report = SchoolReport.objects.create(
        school=school,
        period=semester,
        went_well="Tổ tư vấn trực đều đặn.",
        difficulties="Thiếu phòng tư vấn riêng.",
        proposals="Đề nghị tập huấn thêm.",
    )
    transitions.submit(report, principal)
    report.refresh_from_db()
    return report


class Tables(HTMLParser):
    """Each <table> of a page, as rows of cell texts, by its aria-labelledby (or its place)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: list[list[str]] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            name = attrs.get("aria-labelledby") or f"table {len(self.tables)}"
            self.current = self.tables.setdefault(name, [])
        elif tag == "tr" and self.current is not None:
            self.current.append([])
        elif tag in ("td", "th") and self.current is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.current is not None and self.cell is not None:
            self.current[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def tables_of(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


@pytest.fixture
def world(db):
    semester = rollup.default_period()
    district = District.objects.create(name="Phòng Giáo dục và Đào tạo Hòa Vang", code="HV")
    other = District.objects.create(name="Phòng Giáo dục và Đào tạo Khác", code="KH")
    reports = {
        "HB": build_school_with_records("HB", "Trường Hòa Bình", district, semester),
        "SM": build_school_with_records("SM", "Trường Sơn Mai", district, semester),
        "XA": build_school_with_records("XA", "Trường Xa Lạ", other, semester),
    }
    officer = build_staff(
        "pgd.canbo", Role.DISTRICT_OFFICER, reports["HB"].school, reports["SM"].school
    )
    return semester, reports, officer


def test_the_district_officer_sees_no_child_and_no_small_count_anywhere(world, client):
    semester, reports, officer = world
    client.force_login(officer)
    pages: dict[str, str] = {}

    # Every screen: the overview of each period, each school's version, the dashboard.
    for item in [None, *rollup.ReportingPeriod.objects.all()]:
        query = {} if item is None else {"period": item.pk}
        response = client.get(reverse("district:overview"), query)
        assert response.status_code == 200
        pages[f"overview {query}"] = response.content.decode()
    for code in ("HB", "SM"):
        response = client.get(reverse("district:report", args=[reports[code].pk]))
        assert response.status_code == 200
        pages[f"report {code}"] = response.content.decode()
    pages["dashboard"] = client.get(reverse("wagtailadmin_home")).content.decode()
    # The decisions, and the pages they lead to (a message names the school only).
    pages["return"] = client.post(
        reverse("district:return", args=[reports["SM"].pk]), {"comment": ""}
    ).content.decode()
    pages["accept"] = client.post(
        reverse("district:accept", args=[reports["HB"].pk]), follow=True
    ).content.decode()

    # Exports and downloads, read back.
    xlsx = client.get(reverse("district:xlsx"), {"period": semester.pk})
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    sheets = {
        sheet["A1"].value: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }
    pages["xlsx"] = "\n".join(
        "\t".join("" if value is None else str(value) for value in row)
        for rows in sheets.values()
        for row in rows
    )
    pdf = client.get(reverse("district:pdf"), {"period": semester.pk})
    assert pdf.status_code == 200
    pages["pdf"] = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages
    )

    # No child: no name, no case reference, no date of birth, on any of them.
    for where, text in pages.items():
        for learners in LEARNERS.values():
            for full_name, born, _class, _gender in learners:
                assert full_name not in text, (where, full_name)
                for written in date_texts(born):
                    assert written not in text, (where, written)
        assert not CASE_REFERENCE.search(text), (where, CASE_REFERENCE.search(text))
        assert "Trường Xa Lạ" not in text, where

    # No small count where it was: in the schools table of the screen and of the
    # workbook, and in each school's own indicators.
    frozen = {
        code: reports[code].versions.get(version=reports[code].version).figures["totals"]
        for code in ("HB", "SM")
    }
    small = [
        (code, key, value)
        for code, totals in frozen.items()
        for key, value in totals.items()
        if 1 <= value <= 4 and key in rollup.SCHOOL_INDICATORS
    ]
    assert small, "the district must have small counts for this test to mean anything"
    screen = tables_of(pages[f"overview {{'period': {semester.pk}}}"])["table-schools"]
    _headings, *rows = screen
    screen_rows = {row[0]: row for row in rows}
    workbook_rows = {row[0]: row for row in sheets["Số liệu chính theo trường"]}
    names = {"HB": "Trường Hòa Bình", "SM": "Trường Sơn Mai"}
    for code, key, value in small:
        column = 1 + rollup.SCHOOL_INDICATORS.index(key)
        assert screen_rows[names[code]][column] == SMALL, (code, key, value)
        assert workbook_rows[names[code]][column] == SMALL, (code, key, value)
    for code in ("HB", "SM"):
        indicators = tables_of(pages[f"report {code}"])
        shown = {row[0]: row[1] for table in indicators.values() for row in table if len(row) >= 2}
        for key, value in frozen[code].items():
            label = str(rollup.figures.TOTALS[key])
            if 1 <= value <= 4 and label in shown:
                assert shown[label] == SMALL, (code, key, value)
    assert SMALL in pages["pdf"]


def test_every_district_url_of_another_districts_school_is_not_found(world, client):
    _semester, reports, officer = world
    client.force_login(officer)
    theirs = reports["XA"].pk
    assert client.get(reverse("district:report", args=[theirs])).status_code == 404
    assert client.post(reverse("district:accept", args=[theirs])).status_code == 404
    assert (
        client.post(reverse("district:return", args=[theirs]), {"comment": "Sửa"}).status_code
        == 404
    )
    reports["XA"].refresh_from_db()
    assert reports["XA"].state == SchoolReport.State.SUBMITTED
