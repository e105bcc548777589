"""Filtered, paginated listings for the index pages.

Each function reads the visitor's filters from the query string, ignores values
it does not recognise (a hand-edited URL never causes an error), and returns
the template context: the page of results, the choices for each filter and the
filters in force.
"""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from page_cache.fragments import remember
from pages.models.base import only_public
from pages.models.campaigns import (
    CampaignPage,
    CampaignStatus,
    MaterialFormat,
    MaterialPage,
    campaign_status_filter,
)
from pages.models.plans import DocumentKind, PlanPage
from pages.models.taxonomy import Audience, Topic

PAGE_SIZE = 20


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# The columns each listing shows besides a page's title and URL: a listing
# reads these rather than every column of the page and its parents.
LISTED_FIELDS = ("id", "title", "url_path", "path", "depth")
PLAN_FIELDS = (
    *LISTED_FIELDS,
    "document_number",
    "kind",
    "issuing_body",
    "issue_date",
    "period_label",
    "summary",
)
CAMPAIGN_FIELDS = (*LISTED_FIELDS, "start_date", "end_date", "intro")
MATERIAL_FIELDS = (*LISTED_FIELDS, "format", "intro")


def topic_choices() -> list[tuple[str, str]]:
    """(slug, name) of every topic, for filter selects; kept until the next public change."""
    return remember("topic-choices", lambda: list(Topic.objects.values_list("slug", "name")))


def audience_choices() -> list[tuple[str, str]]:
    """(code, name) of every audience, for filter selects; kept until the next public change."""
    return remember("audience-choices", lambda: list(Audience.objects.values_list("code", "name")))


def _page(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    """One page of results: a count and a slice, two queries whatever the size."""
    return Paginator(queryset.defer_streamfields(), size).get_page(request.GET.get("page"))


def _children(model, index):
    """Live, public pages of ``model`` under ``index``, with the view restrictions in SQL."""
    return only_public(model.objects.child_of(index).live())


def plan_listing(index, request: HttpRequest) -> dict:
    """Plans under ``index`` filtered by year, kind, issuing body and topic."""
    base = _children(PlanPage, index)
    plans = base
    year = _int(request.GET.get("year"))
    if year:
        plans = plans.filter(
            Q(period_start_year__lte=year, period_end_year__gte=year)
            | Q(period_start_year=year, period_end_year__isnull=True)
            | Q(period_start_year__isnull=True, issue_date__year=year)
        )
    kind = request.GET.get("kind")
    if kind in DocumentKind.values:
        plans = plans.filter(kind=kind)
    else:
        kind = ""
    issuer = request.GET.get("issuer", "").strip()
    if issuer:
        plans = plans.filter(issuing_body=issuer)
    topic = request.GET.get("topic", "")
    if topic:
        plans = plans.filter(pk__in=PlanPage.objects.filter(topics__slug=topic).values("pk"))

    year_choices, issuer_choices = remember(f"plan-facets:{index.pk}", lambda: _plan_facets(base))
    return {
        "plans": _page(request, plans.order_by("-issue_date", "-pk").only(*PLAN_FIELDS)),
        "filters": {"year": year, "kind": kind, "issuer": issuer, "topic": topic},
        "year_choices": year_choices,
        "kind_choices": DocumentKind.choices,
        "issuer_choices": issuer_choices,
        "topic_choices": topic_choices(),
        "filtered": bool(year or kind or issuer or topic),
    }


def _plan_facets(plans) -> tuple[list[tuple[int, int]], list[tuple[str, str]]]:
    """The year and issuer choices of a plan index, from every plan it lists.

    Both facets come from one query over the distinct combinations, not the plans.
    """
    years: set[int] = set()
    issuers: set[str] = set()
    for start, end, issued, issuer in (
        plans.order_by()
        .values_list("period_start_year", "period_end_year", "issue_date__year", "issuing_body")
        .distinct()
    ):
        first = start or issued
        if first:
            years.update(range(first, (end or first) + 1))
        issuers.add(issuer)
    return [(y, y) for y in sorted(years, reverse=True)], [(i, i) for i in sorted(issuers)]


def campaign_listing(index, request: HttpRequest) -> dict:
    """Campaigns under ``index``: by status (ongoing, upcoming, past) and topic."""
    today = timezone.localdate()
    campaigns = _children(CampaignPage, index)
    status = request.GET.get("status", "")
    if status in CampaignStatus.values:
        campaigns = campaigns.filter(campaign_status_filter(status, today))
    else:
        status = ""
    topic = request.GET.get("topic", "")
    if topic:
        campaigns = campaigns.filter(
            pk__in=CampaignPage.objects.filter(topics__slug=topic).values("pk")
        )
    return {
        "campaigns": _page(request, campaigns.order_by("-start_date", "pk").only(*CAMPAIGN_FIELDS)),
        "filters": {"status": status, "topic": topic},
        "status_choices": CampaignStatus.choices,
        "topic_choices": topic_choices(),
        "today": today,
    }


def material_listing(index, request: HttpRequest) -> dict:
    """Materials under ``index`` by topic, audience and format."""
    materials = _children(MaterialPage, index)
    topic = request.GET.get("topic", "")
    # Through subqueries rather than joins, so no plan is listed twice and no
    # DISTINCT over whole rows is needed.
    if topic:
        materials = materials.filter(
            pk__in=MaterialPage.objects.filter(topics__slug=topic).values("pk")
        )
    audience = request.GET.get("audience", "")
    if audience:
        materials = materials.filter(
            pk__in=MaterialPage.objects.filter(audiences__code=audience).values("pk")
        )
    fmt = request.GET.get("format", "")
    if fmt in MaterialFormat.values:
        materials = materials.filter(format=fmt)
    else:
        fmt = ""
    return {
        "materials": _page(request, materials.order_by("title", "pk").only(*MATERIAL_FIELDS)),
        "filters": {"topic": topic, "audience": audience, "format": fmt},
        "topic_choices": topic_choices(),
        "audience_choices": audience_choices(),
        "format_choices": MaterialFormat.choices,
    }
