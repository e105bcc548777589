"""Dates in the case area read one way: "03/12/2026 00:19" for a moment, "03/12/2026" for a day.

Seen on a fresh clone: the case page's timeline said "00:19 Ngày 03 tháng 12 năm
2026" beside "03/12/2026 00:19" elsewhere on the page (Django's long Vietnamese
format leaking through ``formats.localize`` and modeladmin's field display), and
the case's "created at" and "updated at" were labelled in English.
"""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from forms_app.display import case_url, local_date, local_moment
from forms_app.models import Case, CaseState
from tests.forms_app.factories import make_case

# Django's long Vietnamese formats ("Ngày 03 tháng 12 năm 2026", "3 tháng 12, 2026").
LONG_DATE = re.compile(r"(?i)ngày \d{1,2} tháng|\d{1,2} tháng \d{1,2}")
# A time before a date ("00:19 03/12/2026"): moments are written date first.
TIME_FIRST = re.compile(r"\b\d{1,2}:\d{2}\s+(?:Ngày\s+)?\d{1,2}[/ ]")
MOMENT = re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}")


def page_text(response) -> str:
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(text).split())


@pytest.fixture
def case(staff) -> Case:
    case = make_case(
        staff.school,
        staff.worker,
        staff.principal,
        state=CaseState.IN_PROGRESS,
        learner_birth_date=datetime.date(2013, 5, 4),
    )
    case.assigned_worker = staff.worker
    case.save(update_fields=["assigned_worker"])
    return case


def test_display_writes_moments_and_days_one_way():
    moment = timezone.make_aware(datetime.datetime(2026, 12, 3, 0, 19))

    with translation.override("vi"):
        assert local_moment(moment) == "03/12/2026 00:19"
        assert local_date(moment) == "03/12/2026"
        assert local_date(datetime.date(2013, 5, 4)) == "04/05/2013"


@pytest.mark.parametrize("role", ["worker", "principal"])
def test_case_page_writes_every_date_one_way(client, staff, case, role):
    client.force_login(getattr(staff, role))

    with translation.override("vi"):
        text = page_text(client.get(case_url(case.pk)))

    assert not LONG_DATE.search(text), LONG_DATE.search(text)
    assert not TIME_FIRST.search(text), TIME_FIRST.search(text)
    assert local_moment(case.received_at) in text
    assert "04/05/2013" in text
    event = case.events.order_by("at").first()
    assert local_moment(event.at) in text


def test_case_page_labels_when_the_case_was_opened_and_last_changed(client, staff, case):
    client.force_login(staff.worker)

    with translation.override("en"):
        text = page_text(client.get(case_url(case.pk)))

    for english in ("created at", "updated at", "created by"):
        assert english not in text.lower()
    for name in ("created_by", "created_at", "updated_at"):
        assert str(Case._meta.get_field(name).verbose_name) in text.lower()


def test_case_list_and_todo_write_deadlines_as_moments(client, staff, case):
    client.force_login(staff.worker)

    with translation.override("vi"):
        listing = page_text(client.get(reverse("forms_app_case_modeladmin_index")))
        todo = page_text(client.get(reverse("forms_app:todo")))

    for text in (listing, todo):
        assert not LONG_DATE.search(text)
        assert not TIME_FIRST.search(text)
    assert local_moment(case.next_deadline) in listing
