"""Awareness campaigns (chiến dịch truyền thông) and materials (tài liệu tuyên truyền)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from pages.blocks import StoryBlock
from pages.models.base import TOPIC_HELP, BasePage, IndexPage, RowsShownMixin, stream_text


class CampaignStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    ONGOING = "ongoing", _("Ongoing")
    PAST = "past", _("Past")


def campaign_status_filter(status: str, today: datetime.date) -> models.Q:
    """The query for campaigns that are upcoming, ongoing or past on ``today``."""
    if status == CampaignStatus.UPCOMING:
        return models.Q(start_date__gt=today)
    if status == CampaignStatus.PAST:
        return models.Q(end_date__lt=today)
    return models.Q(start_date__lte=today) & (
        models.Q(end_date__gte=today) | models.Q(end_date__isnull=True)
    )


class AwarenessPage(RowsShownMixin, BasePage):
    """What campaigns and materials share: an introduction, topics, audiences and a story body."""

    shown_key = "awareness-shown"

    intro = models.TextField(_("introduction"), blank=True)
    topics = ParentalManyToManyField(
        "pages.Topic", verbose_name=_("topics"), blank=True, related_name="+", help_text=TOPIC_HELP
    )
    audiences = ParentalManyToManyField(
        "pages.Audience", verbose_name=_("audiences"), blank=True, related_name="+"
    )
    body = StreamField(StoryBlock(), verbose_name=_("body"), blank=True)

    topics_panel = MultiFieldPanel(
        [
            FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
            FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
        ],
        heading=_("Topics and audiences"),
    )
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.FilterField("slug")]),
    ]

    class Meta:
        abstract = True

    def get_search_text(self) -> list[str]:
        # Topic and audience names too: "bạo lực học đường" finds what is tagged so.
        return [
            *super().get_search_text(),
            self.intro,
            stream_text(self.body),
            *(topic.name for topic in self.topics.all()),
            *(audience.name for audience in self.audiences.all()),
        ]

    def _read_shown(self) -> dict:
        """Topics and audiences; a page type adds its own lists."""
        return {"topics": list(self.topics.all()), "audiences": list(self.audiences.all())}

    @property
    def topics_shown(self) -> list:
        return self._shown["topics"]

    @property
    def audiences_shown(self) -> list:
        return self._shown["audiences"]


class CampaignIndexPage(IndexPage):
    """The list of a school's campaigns: ongoing first, then upcoming, then past."""

    subpage_types = ["pages.CampaignPage"]
    listing_function = "campaign_listing"

    class Meta:
        verbose_name = _("campaign index")
        verbose_name_plural = _("campaign indexes")


class CampaignPage(AwarenessPage):
    """An awareness campaign with dates, e.g. a month of action against school violence."""

    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    hero_image = models.ForeignKey(
        "pages.SiteImage",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content_panels = [
        *BasePage.content_panels,
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        AwarenessPage.topics_panel,
        FieldPanel("body"),
        InlinePanel("related_materials", heading=_("Related materials"), label=_("Material")),
    ]

    search_fields = [
        *AwarenessPage.search_fields,
        index.FilterField("start_date"),
        index.FilterField("end_date"),
    ]

    route_select_related = ("hero_image",)

    parent_page_types = ["pages.CampaignIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The campaign cannot end before it starts.")})

    def status(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.start_date > today:
            return CampaignStatus.UPCOMING
        if self.end_date and self.end_date < today:
            return CampaignStatus.PAST
        return CampaignStatus.ONGOING

    def get_status_display(self) -> str:
        return CampaignStatus(self.status()).label

    def materials_shown(self) -> list["MaterialPage"]:
        """The related materials that are published."""
        return self._shown["materials"]

    def _read_shown(self) -> dict:
        # The materials come with their links in one query, with only what is shown.
        links = self.related_materials.select_related("material")
        if not self.related_materials.is_deferring:
            links = links.only(
                "page", "material", "material__title", "material__url_path", "material__live"
            )
        return {
            **super()._read_shown(),
            "materials": [link.material for link in links if link.material.live],
        }


class CampaignMaterial(Orderable):
    page = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="related_materials")
    material = models.ForeignKey(
        "pages.MaterialPage", verbose_name=_("material"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("material")]

    # Named on the usage screens of pages ("Tài liệu liên quan → Tài liệu tuyên truyền").
    class Meta(Orderable.Meta):
        verbose_name = _("related material")
        verbose_name_plural = _("related materials")


class MaterialIndexPage(IndexPage):
    """The library of awareness materials, filtered by topic, audience and format."""

    subpage_types = ["pages.MaterialPage"]
    listing_function = "material_listing"

    class Meta:
        verbose_name = _("material library")
        verbose_name_plural = _("material libraries")


class MaterialFormat(models.TextChoices):
    LEAFLET = "leaflet", _("Leaflet")
    POSTER = "poster", _("Poster")
    VIDEO = "video", _("Video")
    LESSON = "lesson", _("Lesson")
    SLIDES = "slides", _("Slides")
    OTHER = "other", _("Other")


class MaterialPage(AwarenessPage):
    """An awareness material (tài liệu tuyên truyền): a leaflet, poster, video or lesson."""

    format = models.CharField(
        _("format"), max_length=16, choices=MaterialFormat.choices, default=MaterialFormat.LEAFLET
    )
    image = models.ForeignKey(
        "pages.SiteImage",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content_panels = [
        *BasePage.content_panels,
        FieldPanel("format"),
        FieldPanel("intro"),
        FieldPanel("image"),
        AwarenessPage.topics_panel,
        FieldPanel("body"),
        InlinePanel("files", heading=_("Files to download"), label=_("File")),
    ]

    search_fields = [
        *AwarenessPage.search_fields,
        index.FilterField("format"),
    ]

    route_select_related = ("image",)

    parent_page_types = ["pages.MaterialIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def files_shown(self) -> list["MaterialFile"]:
        return self._shown["files"]

    def _read_shown(self) -> dict:
        return {**super()._read_shown(), "files": list(self.files.select_related("document"))}


class MaterialFile(Orderable):
    page = ParentalKey(MaterialPage, on_delete=models.CASCADE, related_name="files")
    document = models.ForeignKey(
        "pages.SiteDocument", verbose_name=_("file"), on_delete=models.CASCADE, related_name="+"
    )
    label = models.CharField(_("label"), max_length=255, blank=True)

    panels = [FieldPanel("document"), FieldPanel("label")]

    def __str__(self) -> str:
        return self.label or self.document.title

    # Named on the usage screens of documents ("Tệp tải về → Tệp").
    class Meta(Orderable.Meta):
        verbose_name = _("file to download")
        verbose_name_plural = _("files to download")
