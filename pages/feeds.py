"""Feeds and discovery for the public site: RSS, Atom, iCalendar, robots.txt, the sitemap
and the favicon.

Everything here is scoped to the Wagtail ``Site`` the request is for, so a school
that has a site of its own publishes only its own plans and campaigns, and every
query is ``live().public()``: drafts and pages behind a view restriction never
leave the building. Like the rest of ``pages``, nothing here touches the case side.
"""

import datetime
from dataclasses import dataclass, field
from itertools import chain

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

# Wagtail's sitemap rather than Django's: only Wagtail's knows which Site the
# request is for and gives each page its full URL on that site.
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page, Site

from pages.models.base import only_public
from pages.models.campaigns import CampaignPage
from pages.models.plans import PlanPage

FEED_SIZE = 20
# Sorts last: a page made live by code, never published, has no publication time.
NEVER = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"
ICAL_PRODID = "-//Truong An Toan//Campaigns//VI"

__all__ = [
    "AtomFeed",
    "LatestFeed",
    "campaigns_ical",
    "robots_txt",
    "sitemap",
]


def current_site(request: HttpRequest) -> Site:
    """The Wagtail site this request is for; 404 when the install has no site at all."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site is configured.")
    return site


def site_name(site: Site) -> str:
    return site.site_name or settings.WAGTAIL_SITE_NAME


def _start_of_day(day: datetime.date) -> datetime.datetime:
    """An aware datetime for a date, so issue dates sort among publication times."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass
class FeedEntry:
    """One feed item, resolved while the request is at hand.

    ``Feed`` instances are shared between requests and its ``item_*`` hooks are
    given only the item, so everything that needs the request (full URLs) is
    worked out up front rather than stored on the feed.
    """

    title: str
    link: str
    description: str
    pubdate: datetime.datetime
    updateddate: datetime.datetime | None
    categories: list[str] = field(default_factory=list)
    # Breaks ties between items of the same day the same way on every request.
    sort_key: tuple = ()


def _published(page) -> datetime.datetime:
    """When ``page`` went online; a page made live without a publish has no such time."""
    return page.first_published_at or page.last_published_at or NEVER


def _plan_entry(plan: PlanPage, request: HttpRequest) -> FeedEntry:
    # A document's date is the one printed on it; only undated ones fall back
    # to when the school put them online.
    pubdate = _start_of_day(plan.issue_date) if plan.issue_date else _published(plan)
    return FeedEntry(
        title=plan.title,
        link=plan.get_full_url(request),
        description=plan.summary or plan.search_description,
        pubdate=pubdate,
        updateddate=plan.last_published_at,
        categories=[topic.name for topic in plan.topics.all()],
        sort_key=(pubdate, _published(plan), plan.pk),
    )


def _campaign_entry(campaign: CampaignPage, request: HttpRequest) -> FeedEntry:
    return FeedEntry(
        title=campaign.title,
        link=campaign.get_full_url(request),
        description=campaign.intro or campaign.search_description,
        pubdate=_published(campaign),
        updateddate=campaign.last_published_at,
        categories=[topic.name for topic in campaign.topics.all()],
        sort_key=(_published(campaign), _published(campaign), campaign.pk),
    )


def latest_entries(site: Site, request: HttpRequest, limit: int = FEED_SIZE) -> list[FeedEntry]:
    """The newest ``limit`` live, public plans and campaigns of ``site``, newest first.

    Plans are dated by issue date, or by first publication when they have none,
    which no single ORM ordering expresses on every backend (NULLs sort first on
    PostgreSQL and last on SQLite). So each kind of page contributes its own newest
    ``limit`` and the merge happens here: at most three small queries, whatever
    the size of the site.
    """
    root = site.root_page

    def pages(model):
        return (
            only_public(model.objects.live().descendant_of(root, inclusive=True))
            .defer_streamfields()
            .prefetch_related("topics")
        )

    dated_plans = pages(PlanPage).filter(issue_date__isnull=False)
    dated_plans = dated_plans.order_by("-issue_date", "-first_published_at", "-pk")[:limit]
    undated_plans = pages(PlanPage).filter(issue_date__isnull=True)
    undated_plans = undated_plans.order_by("-first_published_at", "-pk")[:limit]
    campaigns = pages(CampaignPage).order_by("-first_published_at", "-pk")[:limit]

    entries = [
        *(_plan_entry(plan, request) for plan in chain(dated_plans, undated_plans)),
        *(_campaign_entry(campaign, request) for campaign in campaigns),
    ]
    entries.sort(key=lambda entry: entry.sort_key, reverse=True)
    return entries[:limit]


@dataclass
class FeedContext:
    """What ``LatestFeed.get_object`` hands to the feed's other hooks."""

    site: Site
    request: HttpRequest


class LatestFeed(Feed):
    """RSS 2.0 feed of a site's newest plans and campaigns, for feed readers and
    for the district office to follow its schools without visiting each site."""

    def get_object(self, request: HttpRequest, *args, **kwargs) -> FeedContext:
        return FeedContext(site=current_site(request), request=request)

    def title(self, obj: FeedContext) -> str:
        return _("Plans and campaigns from %(site_name)s") % {"site_name": site_name(obj.site)}

    def description(self, obj: FeedContext) -> str:
        return _(
            "The newest plans, documents and awareness campaigns published by %(site_name)s."
        ) % {"site_name": site_name(obj.site)}

    def link(self, obj: FeedContext) -> str:
        return obj.site.root_page.get_full_url(obj.request) or obj.request.build_absolute_uri("/")

    def feed_url(self, obj: FeedContext) -> str:
        return obj.request.build_absolute_uri()

    def author_name(self, obj: FeedContext) -> str:
        # Atom wants an author for the feed; the school (or district) is the author.
        return site_name(obj.site)

    def items(self, obj: FeedContext) -> list[FeedEntry]:
        return latest_entries(obj.site, obj.request)

    def item_title(self, item: FeedEntry) -> str:
        return item.title

    def item_link(self, item: FeedEntry) -> str:
        return item.link

    def item_description(self, item: FeedEntry) -> str:
        return item.description

    def item_pubdate(self, item: FeedEntry) -> datetime.datetime:
        return item.pubdate

    def item_updateddate(self, item: FeedEntry) -> datetime.datetime | None:
        return item.updateddate

    def item_categories(self, item: FeedEntry) -> list[str]:
        return item.categories


class AtomFeed(LatestFeed):
    """The same items as ``LatestFeed`` in Atom 1.0, which some readers prefer."""

    feed_type = Atom1Feed

    def subtitle(self, obj: FeedContext) -> str:
        return self.description(obj)


def campaign_event(campaign: CampaignPage, site: Site, request: HttpRequest) -> Event:
    """One all-day VEVENT for a campaign.

    iCalendar's DTEND is exclusive for dates, so a campaign ending on the 30th ends
    on the 31st here; one without an end date is shown on its first day only. The
    UID is derived from the page, so a calendar that subscribes updates the event
    in place when the campaign is edited rather than adding a copy.
    """
    event = Event()
    event.add("uid", f"campaign-{campaign.pk}@{site.hostname}")
    event.add("summary", campaign.title)
    event.add("dtstart", campaign.start_date)
    last_day = campaign.end_date or campaign.start_date
    event.add("dtend", last_day + datetime.timedelta(days=1))
    # Without a METHOD, DTSTAMP is when the event was last revised (RFC 5545
    # 3.8.7.2); using the publication time keeps the output stable between requests.
    revised = campaign.last_published_at or campaign.first_published_at or timezone.now()
    event.add("dtstamp", revised.astimezone(datetime.UTC))
    if campaign.intro:
        event.add("description", campaign.intro)
    url = campaign.get_full_url(request)
    if url:
        event.add("url", url)
    topics = [topic.name for topic in campaign.topics.all()]
    if topics:
        event.add("categories", topics)
    # A month of awareness work does not make anyone busy for a month.
    event.add("transp", "TRANSPARENT")
    return event


@require_safe
def campaigns_ical(request: HttpRequest) -> HttpResponse:
    """Every live, public campaign of the current site as an iCalendar feed.

    Teachers and parents subscribe to it from their phone's calendar, so the
    school's campaigns appear beside their own dates.
    """
    site = current_site(request)
    campaigns = (
        only_public(CampaignPage.objects.live().descendant_of(site.root_page, inclusive=True))
        .defer_streamfields()
        .prefetch_related("topics")
        .order_by("start_date", "pk")
    )
    calendar = Calendar()
    calendar.add("prodid", ICAL_PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = _("Campaigns from %(site_name)s") % {"site_name": site_name(site)}
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for campaign in campaigns:
        calendar.add_component(campaign_event(campaign, site, request))
    response = HttpResponse(calendar.to_ical(), content_type=ICAL_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="chien-dich.ics"'
    return response


class PublicSitemap(Sitemap):
    """Wagtail's sitemap of the request's site, without reading each page as its own type.

    Wagtail's reads every page as its specific type (a query per page type) only
    to ask it for its URL and date, which no page type of ours changes
    (``get_sitemap_urls``): the tree's own columns say both.
    """

    def items(self):
        root = self.get_wagtail_site().root_page
        pages = only_public(Page.objects.descendant_of(root, inclusive=True).live())
        return pages.order_by("path").only(
            "path", "url_path", "last_published_at", "latest_revision_created_at"
        )


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    """Every live, public page of the request's site, for search engines."""
    return wagtail_sitemap(request, sitemaps={"wagtail": PublicSitemap(request)})


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Let crawlers index the public site, keep them out of the admin, point them to the sitemap.

    Private pages need no line here: they are behind view restrictions, absent
    from the sitemap, and a ``Disallow`` would only advertise where they are.
    """
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """The site's icon, for browsers that ask for /favicon.ico where a page names none."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
