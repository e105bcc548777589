"""Feeds and discovery: what a feed reader, a calendar app and a crawler see.

Every check is about the same promise: only live, public pages of the site
the request is for leave the building, in the order and with the links a
subscriber needs.
"""

import datetime
import email.utils
from dataclasses import dataclass

import pytest
from defusedxml import ElementTree
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import Page, PageViewRestriction, Site

from pages.models import (
    CampaignIndexPage,
    CampaignPage,
    HomePage,
    PlanIndexPage,
    PlanPage,
    Topic,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOST = "testserver"


def _at(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(day + "T09:00"))


def publish(page: Page, first_published: str) -> Page:
    """Publish ``page`` and pin its first publication, so the order does not depend on timing."""
    page.save_revision().publish()
    Page.objects.filter(pk=page.pk).update(first_published_at=_at(first_published))
    page.refresh_from_db()
    return page


@dataclass
class Tree:
    site: Site
    home: HomePage
    plans: dict[str, PlanPage]
    campaigns: dict[str, CampaignPage]
    topic: Topic

    def url(self, page: Page) -> str:
        return page.get_full_url()


@pytest.fixture
def tree(db) -> Tree:
    """A school under the default site with dated, undated, draft and private pages."""
    site = Site.objects.get(is_default_site=True)
    site.hostname = HOST
    site.site_name = "Trường THCS Thử"
    site.save()
    home = site.root_page.add_child(instance=HomePage(title="Trường THCS Thử", slug="truong-thu"))
    plan_index = home.add_child(instance=PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))
    campaign_index = home.add_child(
        instance=CampaignIndexPage(title="Chiến dịch", slug="chien-dich")
    )
    topic = Topic.objects.create(name="Chủ đề thử nghiệm", slug="chu-de-thu-nghiem")

    def plan(slug: str, issue_date: str | None, *, live: bool = True) -> PlanPage:
        page = plan_index.add_child(
            instance=PlanPage(
                title=f"Kế hoạch {slug}",
                slug=slug,
                issuing_body="Trường THCS Thử",
                issue_date=datetime.date.fromisoformat(issue_date) if issue_date else None,
                summary=f"Trích yếu {slug}",
                live=live,
            )
        )
        page.topics.add(topic)
        return page

    def campaign(slug: str, start: str, end: str | None, *, live: bool = True) -> CampaignPage:
        return campaign_index.add_child(
            instance=CampaignPage(
                title=f"Chiến dịch {slug}",
                slug=slug,
                start_date=datetime.date.fromisoformat(start),
                end_date=datetime.date.fromisoformat(end) if end else None,
                intro=f"Giới thiệu {slug}",
                live=live,
            )
        )

    plans = {
        "old": publish(plan("kh-old", "2025-09-01"), "2025-11-10"),
        "mid": publish(plan("kh-mid", "2025-10-15"), "2025-10-16"),
        "undated": publish(plan("kh-undated", None), "2025-11-01"),
        "draft": plan("kh-draft", "2025-12-01", live=False),
    }
    plans["draft"].save_revision()
    campaigns = {
        "open": publish(campaign("cd-open", "2025-09-20", None), "2025-09-20"),
        "month": publish(campaign("cd-month", "2025-11-01", "2025-11-30"), "2025-10-20"),
        "draft": campaign("cd-draft", "2025-12-01", "2025-12-31", live=False),
    }
    return Tree(site=site, home=home, plans=plans, campaigns=campaigns, topic=topic)


def rss_items(client, path: str = "/tin-moi/rss.xml", **extra) -> list:
    response = client.get(path, **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    return root.findall("./channel/item")


def test_rss_lists_live_plans_and_campaigns_newest_first(client, tree):
    items = rss_items(client)
    links = [item.findtext("link") for item in items]
    # Plans by issue date (else first publication), campaigns by first publication.
    assert links == [
        f"http://{HOST}/truong-thu/ke-hoach/kh-undated/",
        f"http://{HOST}/truong-thu/chien-dich/cd-month/",
        f"http://{HOST}/truong-thu/ke-hoach/kh-mid/",
        f"http://{HOST}/truong-thu/chien-dich/cd-open/",
        f"http://{HOST}/truong-thu/ke-hoach/kh-old/",
    ]
    assert links == [
        tree.url(tree.plans["undated"]),
        tree.url(tree.campaigns["month"]),
        tree.url(tree.plans["mid"]),
        tree.url(tree.campaigns["open"]),
        tree.url(tree.plans["old"]),
    ]


def test_rss_items_carry_title_description_date_and_topics(client, tree):
    items = {item.findtext("link"): item for item in rss_items(client)}
    plan = items[tree.url(tree.plans["mid"])]
    assert plan.findtext("title") == "Kế hoạch kh-mid"
    assert plan.findtext("description") == "Trích yếu kh-mid"
    assert [c.text for c in plan.findall("category")] == ["Chủ đề thử nghiệm"]
    # A dated document is dated by its issue date, not by when it went online.
    pubdate = email.utils.parsedate_to_datetime(plan.findtext("pubDate"))
    assert timezone.localtime(pubdate).date() == datetime.date(2025, 10, 15)

    campaign = items[tree.url(tree.campaigns["month"])]
    assert campaign.findtext("description") == "Giới thiệu cd-month"
    campaign_date = email.utils.parsedate_to_datetime(campaign.findtext("pubDate"))
    assert campaign_date == _at("2025-10-20")


def test_rss_channel_names_the_site(client, tree):
    response = client.get("/tin-moi/rss.xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    assert "Trường THCS Thử" in channel.findtext("title")
    assert channel.findtext("link") == f"http://{HOST}/"


def test_feeds_leave_out_drafts_and_private_pages(client, tree):
    private = tree.plans["old"]
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    rss_links = [item.findtext("link") for item in rss_items(client)]
    atom = ElementTree.fromstring(client.get("/tin-moi/atom.xml").content)
    atom_links = [e.find(f"{ATOM}link").get("href") for e in atom.findall(f"{ATOM}entry")]
    for links in (rss_links, atom_links):
        assert len(links) == 4
        assert "/kh-draft/" not in "".join(links)
        assert "/cd-draft/" not in "".join(links)
        assert tree.url(private) not in links


def test_atom_lists_the_same_entries_in_the_same_order(client, tree):
    response = client.get("/tin-moi/atom.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert links == [item.findtext("link") for item in rss_items(client)]
    assert entries[0].findtext(f"{ATOM}title") == "Kế hoạch kh-undated"
    assert entries[0].findtext(f"{ATOM}summary") == "Trích yếu kh-undated"
    assert [c.get("term") for c in entries[0].findall(f"{ATOM}category")] == ["Chủ đề thử nghiệm"]
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Trường THCS Thử"


def test_feed_keeps_only_the_twenty_newest(client, tree):
    index = PlanIndexPage.objects.get()
    for n in range(20):
        page = index.add_child(
            instance=PlanPage(
                title=f"Công văn {n}",
                slug=f"cv-{n}",
                issuing_body="Phòng GD&ĐT",
                issue_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
            )
        )
        publish(page, "2026-02-01")
    links = [item.findtext("link") for item in rss_items(client)]
    assert len(links) == 20
    assert links[0].endswith("/cv-19/")
    assert links[-1].endswith("/cv-0/")


def test_feed_belongs_to_the_site_the_request_is_for(client, tree):
    root = Page.objects.get(depth=1)
    other_home = root.add_child(instance=HomePage(title="Trường khác", slug="truong-khac"))
    Site.objects.create(hostname="khac.example", root_page=other_home, site_name="Trường khác")
    other_index = other_home.add_child(instance=PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))
    other_plan = publish(
        other_index.add_child(
            instance=PlanPage(title="Kế hoạch khác", slug="kh-khac", issuing_body="Trường khác")
        ),
        "2025-12-01",
    )

    ours = [item.findtext("link") for item in rss_items(client)]
    theirs = [item.findtext("link") for item in rss_items(client, HTTP_HOST="khac.example")]
    assert other_plan.get_full_url() not in ours
    assert theirs == ["http://khac.example/ke-hoach/kh-khac/"]


def test_ical_has_one_all_day_event_per_live_campaign(client, tree):
    response = client.get("/chien-dich.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}

    month, open_ended = tree.campaigns["month"], tree.campaigns["open"]
    assert set(events) == {f"campaign-{month.pk}@{HOST}", f"campaign-{open_ended.pk}@{HOST}"}

    event = events[f"campaign-{month.pk}@{HOST}"]
    assert event.decoded("DTSTART") == datetime.date(2025, 11, 1)
    # DTEND of an all-day event is exclusive: the 30th is the last day.
    assert event.decoded("DTEND") == datetime.date(2025, 12, 1)
    assert str(event["SUMMARY"]) == "Chiến dịch cd-month"
    assert str(event["DESCRIPTION"]) == "Giới thiệu cd-month"
    assert str(event["URL"]) == tree.url(month)
    assert "DTSTAMP" in event

    event = events[f"campaign-{open_ended.pk}@{HOST}"]
    assert event.decoded("DTSTART") == datetime.date(2025, 9, 20)
    assert event.decoded("DTEND") == datetime.date(2025, 9, 21)


def test_robots_txt_keeps_crawlers_out_of_admin_and_names_the_sitemap(client, tree):
    response = client.get("/robots.txt", HTTP_HOST="truong.example")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /" not in lines
    assert "Sitemap: http://truong.example/sitemap.xml" in lines


def test_sitemap_lists_live_pages_and_not_drafts(client, tree):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    locations = {loc.text for loc in root.iter(f"{SITEMAP}loc")}
    for page in [*tree.plans.values(), *tree.campaigns.values()]:
        if page.live:
            assert tree.url(page) in locations
    assert tree.url(tree.home) in locations
    assert not any("draft" in location for location in locations)


def test_feed_links_include_points_to_both_feeds():
    html = render_to_string("includes/feed_links.html", request=RequestFactory().get("/"))
    assert 'type="application/rss+xml"' in html
    assert 'href="/tin-moi/rss.xml"' in html
    assert 'type="application/atom+xml"' in html
    assert 'href="/tin-moi/atom.xml"' in html
