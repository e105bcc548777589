"""Home pages of schools and of the district portal."""

import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from page_cache.fragments import remember
from pages.models.base import (
    BasePage,
    only_public,
    school_for,
    school_name_for,
    school_sections,
)

SHORT_FEATURES = ["bold", "italic", "link", "ol", "ul"]

# What a listing of pages needs to link to each: its title and its URL.
LISTED_FIELDS = ("id", "title", "url_path", "path", "depth")


class HomePage(BasePage):
    """Trang chủ: the home of a school's site, or of a district portal that links to its schools.

    A school's home page may sit under the district portal, so every school is
    reachable both as a section of the portal and as a Wagtail ``Site`` of its own.
    """

    # Content
    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=SHORT_FEATURES,
        help_text=_("A few sentences on who we are and how a pupil or parent can ask for help."),
    )
    how_to_get_help = RichTextField(
        _("how to ask for help"),
        blank=True,
        features=SHORT_FEATURES,
        help_text=_("Where the counselling room is, when it is open, whom to tell."),
    )
    counselling_contact = RichTextField(
        _("counselling team contact"), blank=True, features=SHORT_FEATURES
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro"),
        FieldPanel("how_to_get_help"),
        FieldPanel("counselling_contact"),
    ]

    parent_page_types = ["wagtailcore.Page", "pages.HomePage"]
    subpage_types = [
        "pages.HomePage",
        "pages.PlanIndexPage",
        "pages.CampaignIndexPage",
        "pages.MaterialIndexPage",
        "pages.HotlineNoticePage",
        "pages.StandardPage",
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from pages.models.hotlines import help_lines

        context = super().get_context(request, *args, **kwargs)
        context["hotlines"] = help_lines(school_for(request, self))
        # The listings depend only on published pages and on the date (a campaign
        # is current or not), so they are built once until the next public change.
        today = timezone.localdate()
        context.update(
            remember(f"home-listings:{self.pk}:{today.isoformat()}", lambda: self._listings(today))
        )
        return context

    def _listings(self, today: datetime.date) -> dict:
        """Member schools, latest plans and current campaigns, with only the fields shown.

        Each page is listed once: an alias (a page shown in a second place) is the
        same item again. On a portal, schools publish under the same titles ("Kế
        hoạch công tác xã hội năm học 2025–2026"), so each item outside this home's
        own school names its school (``listed_school``).
        """
        from pages.models.campaigns import CampaignPage, CampaignStatus, campaign_status_filter
        from pages.models.plans import PlanPage

        # The member schools come with their home pages: one query, however many.
        children = only_public(
            HomePage.objects.child_of(self).live().select_related("school").order_by("title")
        ).only(*LISTED_FIELDS, "school")
        latest_plans = (
            only_public(PlanPage.objects.live().descendant_of(self))
            .filter(alias_of__isnull=True)
            .order_by("-issue_date", "-first_published_at")
            .only(*LISTED_FIELDS, "document_number", "kind", "issue_date")[:5]
        )
        current_campaigns = (
            only_public(CampaignPage.objects.live().descendant_of(self))
            .filter(alias_of__isnull=True)
            .filter(
                campaign_status_filter(CampaignStatus.ONGOING, today)
                | campaign_status_filter(CampaignStatus.UPCOMING, today)
            )
            .order_by("start_date")
            .only(*LISTED_FIELDS, "start_date", "end_date")[:4]
        )
        latest_plans, current_campaigns = list(latest_plans), list(current_campaigns)
        listed = [*latest_plans, *current_campaigns]
        sections = school_sections() if listed else []
        own_school = school_name_for(self.path, sections)
        for page in listed:
            school = school_name_for(page.path, sections)
            page.listed_school = school if school != own_school else ""
        return {
            "member_sites": [(child, getattr(child, "school", None)) for child in children],
            "latest_plans": latest_plans,
            "current_campaigns": current_campaigns,
        }

    def get_search_text(self) -> list[str]:
        from django.utils.html import strip_tags

        return [
            *super().get_search_text(),
            strip_tags(self.intro),
            strip_tags(self.how_to_get_help),
        ]
