"""Plans and other official documents (kế hoạch, công văn, quyết định, báo cáo, hướng dẫn)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from pages.blocks import PlanBodyBlock
from pages.models.base import (
    TOPIC_HELP,
    BasePage,
    IndexPage,
    RowsShownMixin,
    private_pages,
    stream_text,
)
from pages.text import fold


class DocumentKind(models.TextChoices):
    PLAN = "plan", _("Plan")
    OFFICIAL_LETTER = "official_letter", _("Official letter")
    DECISION = "decision", _("Decision")
    REPORT = "report", _("Report")
    GUIDANCE = "guidance", _("Guidance")


# Labels by value: ``get_kind_display`` builds this mapping on every call, and a
# listing shows the kind of every document.
KIND_LABELS = dict(DocumentKind.choices)

# The inline lists shown as tables, and the fields of each row the template reads;
# None pads a list to three columns, so that one query reads all three lists.
TABLE_FIELDS = {
    "indicators": ("description", "target", "year"),
    "milestones": ("year", "activities", None),
    "responsibilities": ("unit", "duties", None),
}


class PlanIndexPage(IndexPage):
    """A school's plans and documents, filtered by year, kind, issuing body and topic."""

    subpage_types = ["pages.PlanPage"]
    listing_function = "plan_listing"

    class Meta:
        verbose_name = _("plan index")
        verbose_name_plural = _("plan indexes")


class PlanPage(RowsShownMixin, BasePage):
    """A plan (kế hoạch) or other official document, with the metadata of its first page.

    Structured so that listings filter by year, kind, issuer and topic, and so that
    documents citing each other as legal basis ("Căn cứ …") link both ways.
    """

    # Identification, as printed at the top of the document
    document_number = models.CharField(
        _("document number"), max_length=64, blank=True, help_text=_("e.g. 15/KH-THCS")
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=DocumentKind.choices, default=DocumentKind.PLAN
    )
    # The body the issuer answers to, printed above it (cơ quan chủ quản): "UBND
    # HUYỆN …" over "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO". Listings filter on the issuer only.
    parent_body = models.CharField(
        _("parent body"),
        max_length=255,
        blank=True,
        help_text=_("The body printed above the issuer, e.g. UBND HUYỆN MƯỜNG TÈ"),
    )
    issuing_body = models.CharField(_("issuing body"), max_length=255)
    issue_place = models.CharField(_("place of issue"), max_length=120, blank=True)
    issue_date = models.DateField(_("date of issue"), null=True, blank=True)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("What the document is about (trích yếu).")
    )

    # Period the document covers
    period_label = models.CharField(
        _("period"), max_length=64, blank=True, help_text=_("e.g. năm học 2025–2026")
    )
    period_start_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    period_end_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    topics = ParentalManyToManyField(
        "pages.Topic", verbose_name=_("topics"), blank=True, related_name="+", help_text=TOPIC_HELP
    )

    # Content
    body = StreamField(PlanBodyBlock(), verbose_name=_("body"), blank=True)
    recipients = models.TextField(
        _("recipients"), blank=True, help_text=_("Nơi nhận: one recipient per line.")
    )
    signer_authority = models.CharField(
        _("signing authority"),
        max_length=160,
        blank=True,
        help_text=_("e.g. KT. HIỆU TRƯỞNG / PHÓ HIỆU TRƯỞNG"),
    )
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)

    # Set on publication from the review workflow; never edited by hand.
    approved_by_name = models.CharField(max_length=150, blank=True, editable=False)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("kind")]),
                FieldPanel("parent_body"),
                FieldPanel("issuing_body"),
                FieldRowPanel([FieldPanel("issue_place"), FieldPanel("issue_date")]),
                FieldPanel("summary"),
            ],
            heading=_("Identification"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("period_label"),
                FieldRowPanel([FieldPanel("period_start_year"), FieldPanel("period_end_year")]),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Period and topics"),
        ),
        InlinePanel("legal_bases", heading=_("Legal bases"), label=_("Legal basis")),
        FieldPanel("body"),
        InlinePanel("indicators", heading=_("Indicators and targets"), label=_("Indicator")),
        InlinePanel("milestones", heading=_("Timeline"), label=_("Year")),
        InlinePanel("responsibilities", heading=_("Responsibilities"), label=_("Unit")),
        MultiFieldPanel(
            [FieldPanel("recipients"), FieldPanel("signer_authority"), FieldPanel("signer_name")],
            heading=_("Recipients and signature"),
        ),
        InlinePanel("attachments", heading=_("Attachments"), label=_("Attachment")),
    ]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("document_number"),
        index.SearchField("summary"),
        index.SearchField("issuing_body"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("period_start_year"),
        index.FilterField("period_end_year"),
        index.RelatedFields("topics", [index.FilterField("slug")]),
    ]

    parent_page_types = ["pages.PlanIndexPage"]
    subpage_types: list[str] = []
    shown_key = "plan-shown"

    class Meta:
        verbose_name = _("plan or document")
        verbose_name_plural = _("plans and documents")

    def clean(self) -> None:
        super().clean()
        if (
            self.period_start_year
            and self.period_end_year
            and self.period_end_year < self.period_start_year
        ):
            raise ValidationError(
                {"period_end_year": _("The last year cannot come before the first year.")}
            )

    def get_search_text(self) -> list[str]:
        return [
            *super().get_search_text(),
            self.document_number,
            self.summary,
            self.issuing_body,
            self.period_label,
            stream_text(self.body),
            *(topic.name for topic in self.topics.all()),
        ]

    @property
    def kind_label(self) -> str:
        """The kind as shown to visitors: the same as ``get_kind_display()``, quicker."""
        return KIND_LABELS.get(self.kind, self.kind)

    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    @property
    def years(self) -> range:
        start = self.period_start_year or (self.issue_date.year if self.issue_date else None)
        end = self.period_end_year or start
        return range(start, end + 1) if start else range(0)

    def _read_shown(self) -> dict:
        """Links both ways, tables, files and topics."""
        bases, citing = self._legal_links()
        return {
            "legal_bases": bases,
            "citing": citing,
            "table_rows": self._table_rows(),
            "attachments": list(self.attachments.select_related("document")),
            "topics": list(self.topics.all()),
        }

    @property
    def citing_pages(self) -> list["PlanPage"]:
        """Published documents here that cite this one as a legal basis, newest first."""
        return self._shown["citing"]

    @property
    def legal_bases_shown(self) -> list["PlanLegalBasis"]:
        """This document's legal bases, each with the document it cites when that is on the site."""
        return self._shown["legal_bases"]

    @property
    def topics_shown(self) -> list:
        """The document's topics, in their display order."""
        return self._shown["topics"]

    def _legal_links(self) -> tuple[list["PlanLegalBasis"], list["PlanPage"]]:
        # One query for both directions: the bases this document cites, and the
        # bases of other live, public documents that cite it.
        links = (
            PlanLegalBasis.objects.filter(
                Q(page=self) | Q(cited_page=self, page__live=True) & ~Q(page__in=private_pages())
            )
            .select_related("cited_page", "page")
            .defer("cited_page__body", "page__body")
            .order_by("sort_order", "pk")
        )
        bases, citing = [], {}
        if self.legal_bases.is_deferring:
            # A preview or a revision: its bases are in memory, not yet in the database.
            bases = list(self.legal_bases.all())
            links = links.exclude(page=self)
        for link in links:
            if link.page_id == self.pk:
                bases.append(link)
            if link.cited_page_id == self.pk and link.page_id != self.pk:
                citing[link.page_id] = link.page
        newest_first = sorted(citing.values(), key=lambda page: page.title)
        newest_first.sort(key=lambda page: page.issue_date or datetime.date.min, reverse=True)
        return bases, newest_first

    @property
    def attachments_shown(self) -> list["PlanAttachment"]:
        return self._shown["attachments"]

    @property
    def table_rows(self) -> dict[str, list[dict]]:
        """Indicators, timeline and responsibilities (see ``_table_rows``)."""
        return self._shown["table_rows"]

    def _table_rows(self) -> dict[str, list[dict]]:
        """Indicators, timeline and responsibilities, read in one query.

        The three inline lists are small text rows; a ``UNION ALL`` of them costs
        one round trip instead of three on every view of a plan.
        """
        if any(getattr(self, name).is_deferring for name in TABLE_FIELDS):
            # A preview or a revision: the rows are in memory, not yet in the database.
            return {
                name: [
                    {field: getattr(row, field) for field in fields if field}
                    for row in getattr(self, name).all()
                ]
                for name, fields in TABLE_FIELDS.items()
            }
        text = models.CharField()

        def rows_of(name: str) -> models.QuerySet:
            # Every column as text, padded to three, so the lists fit one UNION ALL.
            columns = [
                Cast(field, output_field=text) if field else Value("", output_field=text)
                for field in TABLE_FIELDS[name]
            ]
            model = self._meta.get_field(name).related_model
            return (
                model.objects.filter(page=self)
                .order_by()
                .values_list(Value(name, output_field=text), "sort_order", "pk", *columns)
            )

        first, *others = (rows_of(name) for name in TABLE_FIELDS)
        names = TABLE_FIELDS
        rows: dict[str, list[tuple]] = {kind: [] for kind in names}
        for kind, order, pk, *values in first.union(*others, all=True):
            rows[kind].append((order if order is not None else -1, pk, values))
        return {
            kind: [
                {name: value for name, value in zip(names[kind], values, strict=True) if name}
                for *_key, values in sorted(rows[kind], key=lambda row: row[:2])
            ]
            for kind in names
        }


# The kind of a cited document, from the code in its number ("33/2018/TT-BGDĐT" is
# a Thông tư), as Nghị định 30/2020/NĐ-CP (Phụ lục III) and the legal-document law
# abbreviate them. A number with no such code is an official letter (công văn):
# "Văn bản số 5594/SGDĐT-CTTT".
CITED_KINDS = {
    "TT": pgettext_lazy("cited document", "Circular"),
    "TTLT": pgettext_lazy("cited document", "Joint circular"),
    "NĐ": pgettext_lazy("cited document", "Decree"),
    "NQ": pgettext_lazy("cited document", "Resolution"),
    "QĐ": pgettext_lazy("cited document", "Decision"),
    "CT": pgettext_lazy("cited document", "Directive"),
    "KH": pgettext_lazy("cited document", "Plan"),
    "HD": pgettext_lazy("cited document", "Guidance"),
    "BC": pgettext_lazy("cited document", "Report"),
    "TB": pgettext_lazy("cited document", "Notice"),
    "CTR": pgettext_lazy("cited document", "Programme"),
}
CITED_DOCUMENT = pgettext_lazy("cited document", "Document")
# A subject that starts like these follows the issuer directly ("… của Bộ Giáo dục
# và Đào tạo hướng dẫn công tác xã hội …"); any other is introduced by "về".
SUBJECT_OPENINGS = ("ve ", "v/v", "huong dan", "quy dinh", "ban hanh", "phe duyet", "sua doi")


def cited_kind(number: str) -> str:
    """The kind of document a number names: "33/2018/TT-BGDĐT" → "Thông tư"."""
    if "/" not in number:
        return str(CITED_DOCUMENT)
    code = number.rsplit("/", 1)[1].split("-", 1)[0].strip().upper()
    return str(CITED_KINDS.get(code, CITED_DOCUMENT))


def _lower_first(text: str) -> str:
    """ "Hướng dẫn …" → "hướng dẫn …" mid-sentence; "V/v", "UBND" stay as written."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def cited_subject(title: str, kind: str = "") -> str:
    """What a cited document is about, as it follows the issuer in a "Căn cứ" line.

    A title that begins with the document's kind ("Kế hoạch công tác xã hội …" of
    a Kế hoạch) loses it, since the line has just named the kind.
    """
    subject = title.strip().rstrip(";.").strip()
    if kind and fold(subject).startswith(fold(kind) + " "):
        subject = subject[len(kind) :].strip()
    if not subject:
        return ""
    if fold(subject).startswith(SUBJECT_OPENINGS):
        return _lower_first(subject)
    return pgettext("cited document", "on %(subject)s") % {"subject": _lower_first(subject)}


class PlanLegalBasis(Orderable):
    """One "Căn cứ …": either another document on this site or a cited external one."""

    page = ParentalKey(PlanPage, on_delete=models.CASCADE, related_name="legal_bases")
    cited_page = models.ForeignKey(
        PlanPage,
        verbose_name=_("document on this site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cited_by",
    )
    number = models.CharField(_("number"), max_length=64, blank=True, help_text="33/2018/TT-BGDĐT")
    date = models.DateField(_("date"), null=True, blank=True)
    issuer = models.CharField(_("issuer"), max_length=255, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)

    panels = [
        PageChooserPanel("cited_page", "pages.PlanPage"),
        FieldRowPanel([FieldPanel("number"), FieldPanel("date")]),
        FieldPanel("issuer"),
        FieldPanel("title"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")

    def clean(self) -> None:
        if self.cited_page_id is None and not (self.number or self.title):
            raise ValidationError(
                _("Choose a document on this site, or give the number or title of the cited one.")
            )

    def __str__(self) -> str:
        if self.cited_page_id:
            return str(self.cited_page)
        return " ".join(p for p in (self.number, self.title) if p)

    @property
    def cites_live_page(self) -> bool:
        return bool(self.cited_page_id and self.cited_page and self.cited_page.live)

    def citation(self) -> dict[str, str]:
        """The "Căn cứ" line as Vietnamese documents write it, in two parts.

        "Căn cứ {Thông tư số 33/2018/TT-BGDĐT} {ngày 28/12/2018 của Bộ Giáo dục và
        Đào tạo hướng dẫn công tác xã hội trong trường học;}": ``document`` (the
        part linked when the cited document is on this site) and ``details``.
        """
        if self.cites_live_page:
            cited = self.cited_page
            kind = str(KIND_LABELS.get(cited.kind, CITED_DOCUMENT))
            number, date, issuer = cited.document_number, cited.issue_date, cited.issuing_body
            subject = cited_subject(cited.title, kind)
        else:
            kind = cited_kind(self.number)
            number, date, issuer = self.number, self.date, self.issuer
            subject = cited_subject(self.title)
        if number:
            document = pgettext("cited document", "%(kind)s No. %(number)s") % {
                "kind": kind,
                "number": number,
            }
        else:
            document = kind
        details = []
        if date:
            details.append(
                pgettext("cited document", "dated %(date)s") % {"date": date.strftime("%d/%m/%Y")}
            )
        if issuer:
            details.append(pgettext("cited document", "of %(issuer)s") % {"issuer": issuer})
        if subject:
            details.append(subject)
        return {"document": document, "details": " ".join(details)}


class PlanIndicator(Orderable):
    """A target the plan commits to (chỉ tiêu): what, the value aimed for, and the year."""

    page = ParentalKey(PlanPage, on_delete=models.CASCADE, related_name="indicators")
    description = models.CharField(_("indicator"), max_length=500)
    target = models.CharField(_("target"), max_length=64, help_text=_("e.g. 100% or 12 sessions"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    panels = [FieldPanel("description"), FieldRowPanel([FieldPanel("target"), FieldPanel("year")])]


class PlanMilestone(Orderable):
    """What is to be done in one year of the plan's period (lộ trình)."""

    page = ParentalKey(PlanPage, on_delete=models.CASCADE, related_name="milestones")
    year = models.CharField(
        _("year or period"), max_length=32, help_text=_("e.g. 2026 or 2026–2027")
    )
    activities = models.TextField(_("activities"))

    panels = [FieldPanel("year"), FieldPanel("activities")]


class PlanResponsibility(Orderable):
    """Who does what (tổ chức thực hiện): a unit and its duties."""

    page = ParentalKey(PlanPage, on_delete=models.CASCADE, related_name="responsibilities")
    unit = models.CharField(_("unit"), max_length=255)
    duties = models.TextField(_("duties"))

    panels = [FieldPanel("unit"), FieldPanel("duties")]


class PlanAttachment(Orderable):
    """A file of the document, above all the signed original (PDF or DOCX)."""

    page = ParentalKey(PlanPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "pages.SiteDocument", verbose_name=_("file"), on_delete=models.CASCADE, related_name="+"
    )
    label = models.CharField(_("label"), max_length=255, blank=True)
    is_signed_original = models.BooleanField(_("signed original"), default=False)

    panels = [
        FieldPanel("document"),
        FieldRowPanel([FieldPanel("label"), FieldPanel("is_signed_original")]),
    ]

    def __str__(self) -> str:
        return self.label or self.document.title

    # Named on the usage screens of documents ("Tệp đính kèm → Tệp").
    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
