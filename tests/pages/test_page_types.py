"""Every page type lives only where it makes sense, renders, and carries help on every page."""

import datetime

import pytest
from django.conf import settings
from wagtail.models import Page

from pages.models import (
    CampaignIndexPage,
    CampaignPage,
    HomePage,
    HotlineNoticePage,
    MaterialIndexPage,
    MaterialPage,
    PlanIndexPage,
    PlanLegalBasis,
    PlanPage,
    StandardPage,
)
from tests.pages.factories import full_tree, plan, publish

pytestmark = pytest.mark.django_db

ALLOWED_PARENTS = {
    HomePage: {Page, HomePage},
    PlanIndexPage: {HomePage},
    PlanPage: {PlanIndexPage},
    CampaignIndexPage: {HomePage},
    CampaignPage: {CampaignIndexPage},
    MaterialIndexPage: {HomePage},
    MaterialPage: {MaterialIndexPage},
    HotlineNoticePage: {HomePage},
    StandardPage: {HomePage, StandardPage},
}


@pytest.mark.parametrize(("model", "parents"), ALLOWED_PARENTS.items())
def test_page_type_has_only_its_sensible_parents(model, parents):
    assert set(model.allowed_parent_page_models()) == parents


def test_pages_can_be_created_only_under_allowed_parents():
    tree = full_tree()
    assert PlanPage.can_create_at(tree["plans"])
    assert not PlanPage.can_create_at(tree["home"])
    assert not PlanPage.can_create_at(tree["campaigns"])
    assert CampaignPage.can_create_at(tree["campaigns"])
    assert not CampaignPage.can_create_at(tree["plans"])
    assert MaterialPage.can_create_at(tree["materials"])
    assert not StandardPage.can_create_at(tree["plan"])
    # One hotline notice per section is enough.
    assert not HotlineNoticePage.can_create_at(tree["home"])


@pytest.mark.parametrize(
    "key",
    [
        "home",
        "plans",
        "plan",
        "campaigns",
        "campaign",
        "materials",
        "material",
        "notice",
        "standard",
    ],
)
def test_every_page_type_renders_with_111_and_quick_exit(client, key):
    page = full_tree()[key]
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:111"' in html
    assert "data-quick-exit" in html
    assert f'href="{settings.QUICK_EXIT_URL}"'.replace("&", "&amp;") in html
    assert f"<h1>{page.title}</h1>" in html


def test_documents_citing_a_plan_are_listed_on_it(client):
    tree = full_tree()
    cited = tree["plan"]
    citing = plan(tree["plans"], "bao-cao", title="Báo cáo sơ kết", document_number="9/BC-T")
    PlanLegalBasis.objects.create(page=citing, cited_page=cited)
    draft = PlanPage(title="Bản nháp trích dẫn", slug="nhap", issuing_body="T", live=False)
    tree["plans"].add_child(instance=draft)
    PlanLegalBasis.objects.create(page=draft, cited_page=cited)

    html = client.get(cited.url).content.decode()
    assert "9/BC-T — Báo cáo sơ kết" in html
    assert "Bản nháp trích dẫn" not in html
    # and the citing one links back to what it is based on
    assert f'href="{cited.url}"' in client.get(citing.url).content.decode()


def test_plan_with_last_year_before_first_year_is_refused():
    from django.core.exceptions import ValidationError

    page = PlanPage(
        title="Sai", slug="sai", issuing_body="T", period_start_year=2026, period_end_year=2025
    )
    with pytest.raises(ValidationError):
        page.full_clean()


def test_campaign_status_follows_its_dates():
    today = datetime.date(2026, 11, 23)
    upcoming = CampaignPage(start_date=datetime.date(2026, 12, 1))
    ongoing = CampaignPage(
        start_date=datetime.date(2026, 11, 1), end_date=datetime.date(2026, 11, 30)
    )
    past = CampaignPage(start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 1, 31))
    assert upcoming.status(today) == "upcoming"
    assert ongoing.status(today) == "ongoing"
    assert past.status(today) == "past"


def test_school_section_pages_show_the_school_line_once(client, make_school):
    school = make_school("AL", hotline="0000 000 123")
    home = Page.objects.get(pk=school.root_page_id)
    notice = publish(home, HotlineNoticePage(title="Đường dây nóng", slug="ddn"))
    html = client.get(notice.url).content.decode()
    assert html.count('href="tel:0000000123"') == 2  # the header strip and the table
    assert 'href="tel:111"' in html
