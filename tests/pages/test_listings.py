"""Listings filter by metadata the way a parent or a district officer expects."""

import datetime

import pytest

from pages.models import CampaignIndexPage, CampaignPage, PlanIndexPage, Topic
from tests.pages.factories import plan, publish, site_home

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans():
    home = site_home()
    index = publish(home, PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))
    violence = Topic.objects.get(slug="bao-luc-hoc-duong")
    made = {
        "school_year": plan(
            index,
            "nam-hoc",
            title="Kế hoạch năm học 2025–2026",
            period_start_year=2025,
            period_end_year=2026,
            issue_date=datetime.date(2025, 9, 1),
        ),
        "five_years": plan(
            index,
            "giai-doan",
            title="Kế hoạch giai đoạn 2026–2030",
            period_start_year=2026,
            period_end_year=2030,
            issue_date=datetime.date(2026, 1, 5),
        ),
        "report": plan(
            index,
            "bao-cao",
            title="Báo cáo năm 2024",
            kind="report",
            issuing_body="Phòng GD&ĐT",
            issue_date=datetime.date(2024, 12, 20),
        ),
    }
    made["five_years"].topics.add(violence)
    made["five_years"].save_revision().publish()
    return index, made


def titles(response) -> list[str]:
    return [p.title for p in response.context["plans"]]


def test_plan_index_lists_every_published_plan_newest_first(client, plans):
    index, _made = plans
    assert titles(client.get(index.url)) == [
        "Kế hoạch giai đoạn 2026–2030",
        "Kế hoạch năm học 2025–2026",
        "Báo cáo năm 2024",
    ]


def test_filter_by_year_finds_plans_whose_period_covers_it(client, plans):
    index, _made = plans
    assert titles(client.get(index.url, {"year": 2028})) == ["Kế hoạch giai đoạn 2026–2030"]
    assert set(titles(client.get(index.url, {"year": 2026}))) == {
        "Kế hoạch giai đoạn 2026–2030",
        "Kế hoạch năm học 2025–2026",
    }
    assert titles(client.get(index.url, {"year": 2024})) == ["Báo cáo năm 2024"]


def test_filter_by_kind_issuer_and_topic(client, plans):
    index, _made = plans
    assert titles(client.get(index.url, {"kind": "report"})) == ["Báo cáo năm 2024"]
    assert titles(client.get(index.url, {"issuer": "Phòng GD&ĐT"})) == ["Báo cáo năm 2024"]
    assert titles(client.get(index.url, {"topic": "bao-luc-hoc-duong"})) == [
        "Kế hoạch giai đoạn 2026–2030"
    ]
    assert titles(client.get(index.url, {"year": 2026, "kind": "report"})) == []


def test_year_choices_span_every_plan_period(client, plans):
    index, _made = plans
    years = [value for value, _label in client.get(index.url).context["year_choices"]]
    assert years == [2030, 2029, 2028, 2027, 2026, 2025, 2024]


def test_nonsense_filters_are_ignored_not_an_error(client, plans):
    index, _made = plans
    response = client.get(index.url, {"year": "abc", "kind": "<script>", "page": "99"})
    assert response.status_code == 200
    assert len(titles(response)) == 3


def test_campaign_index_filters_by_status(client):
    home = site_home()
    index = publish(home, CampaignIndexPage(title="Chiến dịch", slug="chien-dich"))
    today = datetime.date.today()
    day = datetime.timedelta(days=1)
    publish(
        index,
        CampaignPage(title="Đang diễn ra", slug="a", start_date=today - day, end_date=today + day),
    )
    publish(index, CampaignPage(title="Sắp tới", slug="b", start_date=today + 5 * day))
    publish(
        index,
        CampaignPage(
            title="Đã qua", slug="c", start_date=today - 9 * day, end_date=today - 2 * day
        ),
    )

    def listed(status: str) -> list[str]:
        return [c.title for c in client.get(index.url, {"status": status}).context["campaigns"]]

    assert listed("ongoing") == ["Đang diễn ra"]
    assert listed("upcoming") == ["Sắp tới"]
    assert listed("past") == ["Đã qua"]
    assert len(listed("")) == 3
