"""Small builders for public page trees, shared by the pages tests."""

import datetime

from wagtail.models import Page, Site

from pages.models import (
    CampaignIndexPage,
    CampaignPage,
    HomePage,
    HotlineNoticePage,
    MaterialIndexPage,
    MaterialPage,
    PlanIndexPage,
    PlanPage,
    StandardPage,
)


def publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def site_home(title: str = "Trường Thử", slug: str = "truong-thu") -> HomePage:
    """A published HomePage section under the default site's root page."""
    root = Site.objects.get(is_default_site=True).root_page
    return publish(root, HomePage(title=title, slug=slug))


def plan(index: PlanIndexPage, slug: str, **fields) -> PlanPage:
    fields.setdefault("title", slug.replace("-", " ").capitalize())
    fields.setdefault("issuing_body", "Trường Thử")
    return publish(index, PlanPage(slug=slug, **fields))


def full_tree() -> dict[str, Page]:
    """One page of every type in its proper place."""
    home = site_home()
    plans = publish(home, PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))
    campaigns = publish(home, CampaignIndexPage(title="Chiến dịch", slug="chien-dich"))
    materials = publish(home, MaterialIndexPage(title="Tài liệu", slug="tai-lieu"))
    return {
        "home": home,
        "plans": plans,
        "plan": plan(plans, "ke-hoach-mot", issue_date=datetime.date(2026, 1, 2)),
        "campaigns": campaigns,
        "campaign": publish(
            campaigns,
            CampaignPage(title="Tháng hành động", slug="thang", start_date=datetime.date.today()),
        ),
        "materials": materials,
        "material": publish(materials, MaterialPage(title="Tờ rơi", slug="to-roi")),
        "notice": publish(home, HotlineNoticePage(title="Đường dây nóng", slug="duong-day-nong")),
        "standard": publish(home, StandardPage(title="Giới thiệu", slug="gioi-thieu")),
    }
