"""Home pages of schools and of the district portal."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from pages.models.base import BasePage, only_public, school_for

SHORT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


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
        from pages.models.campaigns import CampaignPage, CampaignStatus, campaign_status_filter
        from pages.models.hotlines import help_lines
        from pages.models.plans import PlanPage

        context = super().get_context(request, *args, **kwargs)
        # The member schools come with their home pages: one query, however many.
        children = only_public(
            HomePage.objects.child_of(self).live().select_related("school").order_by("title")
        )
        context["member_sites"] = [
            (child, getattr(child, "school", None)) for child in children.defer_streamfields()
        ]
        context["hotlines"] = help_lines(school_for(request, self))
        context["latest_plans"] = list(
            only_public(PlanPage.objects.live().descendant_of(self))
            .defer_streamfields()
            .order_by("-issue_date", "-first_published_at")[:5]
        )
        today = timezone.localdate()
        context["current_campaigns"] = list(
            only_public(CampaignPage.objects.live().descendant_of(self))
            .filter(
                campaign_status_filter(CampaignStatus.ONGOING, today)
                | campaign_status_filter(CampaignStatus.UPCOMING, today)
            )
            .defer_streamfields()
            .order_by("start_date")[:4]
        )
        return context

    def get_search_text(self) -> list[str]:
        from django.utils.html import strip_tags

        return [
            *super().get_search_text(),
            strip_tags(self.intro),
            strip_tags(self.how_to_get_help),
        ]
