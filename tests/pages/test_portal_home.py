"""The district portal's home lists each plan and campaign once, and says whose it is."""

import datetime
import re

import pytest
from wagtail.models import Page, Site

from pages.models import CampaignIndexPage, CampaignPage, HomePage, PlanIndexPage, PlanPage
from tests.conftest import build_school
from tests.pages.factories import publish

pytestmark = pytest.mark.django_db

PLAN = "Kế hoạch công tác xã hội năm học 2025–2026"
CAMPAIGN = "Tháng hành động vì trẻ em"


@pytest.fixture
def portal(db) -> HomePage:
    """A portal home at the default site's root, with two schools publishing the same titles."""
    portal = Page.get_first_root_node().add_child(
        instance=HomePage(title="Phòng GD&ĐT huyện Thử", slug="phong-gddt-thu")
    )
    Site.objects.filter(is_default_site=True).update(root_page=portal)
    today = datetime.date.today()
    indexes = []
    for code, name in (("HB", "Trường THCS Hoa Ban"), ("SM", "Trường TH Suối Mây")):
        home = build_school(code, name).root_page
        plans = publish(home, PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))
        publish(
            plans,
            PlanPage(
                title=PLAN,
                slug="ke-hoach-ctxh",
                issuing_body=name,
                issue_date=datetime.date(2025, 9, 20),
            ),
        )
        campaigns = publish(home, CampaignIndexPage(title="Chiến dịch", slug="chien-dich"))
        publish(campaigns, CampaignPage(title=CAMPAIGN, slug="thang-hanh-dong", start_date=today))
        indexes.append(plans)
    # Suối Mây also shows Hoa Ban's plan in its own section: the same item again.
    hoa_ban_plan = PlanPage.objects.child_of(indexes[0]).get()
    hoa_ban_plan.create_alias(parent=indexes[1], update_slug="ke-hoach-hoa-ban")
    return portal


def listed(html: str) -> list[tuple[str, str]]:
    """(link, the line under it) of every item of the home's lists."""
    return re.findall(
        r'<h3><a href="([^"]+)">[^<]*</a></h3>\s*<p class="meta">(.*?)</p>', html, re.S
    )


def test_portal_home_lists_each_item_once(client, portal):
    links = [link for link, _meta in listed(client.get("/").content.decode())]

    assert len(links) == len(set(links)) == 4
    assert not any("ke-hoach-hoa-ban" in link for link in links)


def test_portal_home_names_the_school_of_each_item(client, portal):
    for link, meta in listed(client.get("/").content.decode()):
        school = "Trường THCS Hoa Ban" if "truong-hb" in link else "Trường TH Suối Mây"
        assert school in meta, (link, meta)


def test_a_schools_home_does_not_repeat_its_own_name_under_each_item(client, portal):
    hoa_ban = HomePage.objects.get(slug="truong-hb")

    items = listed(client.get(hoa_ban.url).content.decode())

    assert len(items) == 2
    assert not any("Trường THCS Hoa Ban" in meta for _link, meta in items)
