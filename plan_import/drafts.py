"""A recognised plan becomes a draft ``PlanPage``, never a published one.

The draft goes through the school's review workflow like any page an editor
writes: the editor reads it in Wagtail's editor and submits it ("Gửi duyệt").
Nothing read from the document is dropped: a value longer than its field is cut
to fit and also kept whole, with the lines no rule recognised, in a last section
of the body headed "Phần chưa nhận dạng", for the editor to place or delete.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.html import escape
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from wagtail.models import Collection, Page

from pages.models import (
    DocumentKind,
    PlanAttachment,
    PlanIndexPage,
    PlanIndicator,
    PlanLegalBasis,
    PlanMilestone,
    PlanPage,
    SiteDocument,
)
from pages.models.plans import KIND_LABELS
from pages.text import fold, slugify
from plan_import.result import Clause, RecognisedPlan, Section
from schools.models import School

# A year outside these is a misreading (a number of a document, a page number).
YEARS = range(1900, 2101)
ELLIPSIS = "…"
DASHES = re.compile("[\u2010-\u2015\u2212\u2012\u2043\ufe58\ufe63\uff0d]")


# Fitting text into fields ------------------------------------------------------------


class Fitter:
    """Cuts values to their field's length, and remembers what was cut, whole."""

    def __init__(self) -> None:
        self.cut: list[str] = []

    def __call__(self, value: str | None, model: type[models.Model], field: str) -> str:
        text = (value or "").strip()
        limit = model._meta.get_field(field).max_length
        if limit is None or len(text) <= limit:
            return text
        self.cut.append(text)
        return text[: limit - 1].rstrip() + ELLIPSIS

    def block(self, value: str, limit: int) -> str:
        text = (value or "").strip()
        if len(text) <= limit:
            return text
        self.cut.append(text)
        return text[:limit]


def _year(value: int | str | None) -> int | None:
    try:
        year = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return year if year in YEARS else None


# The body -------------------------------------------------------------------------------


def rich_text(text: str) -> str:
    """Plain text as the rich text of a block: a paragraph per line, every character escaped."""
    lines = [line.strip() for line in (text or "").splitlines()]
    return "".join(f"<p>{escape(line)}</p>" for line in lines if line)


# Block limits from pages/blocks.py: the numbers are CharBlocks of max_length=8.
NUMBER_LENGTH = 8


def _clause(clause: Clause, fit: Fitter) -> dict:
    return {
        "number": fit.block(clause.number, NUMBER_LENGTH),
        "heading": clause.heading.strip(),
        "text": rich_text(clause.text),
        "points": [
            {"number": fit.block(point.number, NUMBER_LENGTH), "text": rich_text(point.text)}
            for point in clause.points
            if point.text.strip() or point.number.strip()
        ],
    }


def _section(section: Section, fit: Fitter) -> dict:
    # A section's heading is required; a document may number a part without one.
    heading = section.heading.strip() or section.number.strip() or "…"
    return {
        "type": "section",
        "value": {
            "number": fit.block(section.number, NUMBER_LENGTH),
            "heading": heading,
            "text": rich_text(section.text),
            "clauses": [_clause(clause, fit) for clause in section.clauses],
        },
    }


def _paragraph(text: str) -> dict | None:
    html = rich_text(text)
    return {"type": "paragraph", "value": html} if html else None


def unrecognised_heading() -> str:
    return _("Text not recognised")


def body_blocks(plan: RecognisedPlan, fit: Fitter, extra: Iterable[str] = ()) -> list[dict]:
    """The body's raw StreamField data: preamble, sections, closing, then what is left over."""
    blocks = []
    if preamble := _paragraph(plan.preamble):
        blocks.append(preamble)
    blocks.extend(_section(section, fit) for section in plan.sections)
    if closing := _paragraph(plan.closing):
        blocks.append(closing)
    left = [line for line in (*plan.leftovers, *extra) if line and line.strip()]
    if left:
        blocks.append(
            {
                "type": "section",
                "value": {
                    "number": "",
                    "heading": unrecognised_heading(),
                    "text": rich_text("\n".join(left)),
                    "clauses": [],
                },
            }
        )
    return blocks


# Legal bases ------------------------------------------------------------------------------


def normalise_number(number: str) -> str:
    """A document number as compared: no spaces, one kind of dash, no diacritics or case.

    "33/2018/TT-BGDĐT", "33 / 2018 / TT–BGDĐT" and "33/2018/tt-bgddt" are one number.
    """
    text = unicodedata.normalize("NFC", number or "")
    text = DASHES.sub("-", text)
    return re.sub(r"\s+", "", fold(text))


def site_documents_by_number(parent: Page) -> dict[str, PlanPage]:
    """Pages of documents on the site by normalised number, the parent's school's first.

    One query over the numbers (a district's site holds a few thousand documents at
    most); a number found in the same school's section wins over the same number
    elsewhere on the site, and a published page over a draft.
    """
    school = School.objects.for_page(parent)
    root_path = school.root_page.path if school and school.root_page_id else None
    site_root = parent.get_site()
    site_path = site_root.root_page.path if site_root else ""
    found: dict[str, tuple[tuple, int]] = {}
    rows = (
        PlanPage.objects.exclude(document_number="")
        .order_by("pk")
        .values_list("pk", "document_number", "path", "live")
    )
    for pk, number, path, live in rows:
        key = normalise_number(number)
        if not key:
            continue
        rank = (
            bool(root_path and path.startswith(root_path)),
            bool(site_path and path.startswith(site_path)),
            live,
        )
        if key not in found or rank > found[key][0]:
            found[key] = (rank, pk)
    pages = PlanPage.objects.in_bulk([pk for _rank, pk in found.values()])
    return {key: pages[pk] for key, (_rank, pk) in found.items() if pk in pages}


def match_legal_bases(plan: RecognisedPlan, parent: Page) -> list[PlanPage | None]:
    """For each of the plan's legal bases, the document on the site it names, or None."""
    if not any(basis.number for basis in plan.legal_bases):
        return [None] * len(plan.legal_bases)
    known = site_documents_by_number(parent)
    return [
        known.get(normalise_number(basis.number)) if basis.number else None
        for basis in plan.legal_bases
    ]


# The page ------------------------------------------------------------------------------------


def page_title(plan: RecognisedPlan) -> str:
    """The plan's title, or its kind and number ("Kế hoạch 15/KH-THCS") when it has none."""
    if plan.title.strip():
        return plan.title.strip()
    kind = str(KIND_LABELS.get(plan.kind, KIND_LABELS[DocumentKind.PLAN]))
    return " ".join(part for part in (kind, plan.document_number.strip()) if part)


def unique_slug(parent: Page, title: str) -> str:
    base = (slugify(title) or "ke-hoach")[:200].strip("-") or "ke-hoach"
    taken = set(
        Page.objects.child_of(parent).filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def school_collection(parent: Page) -> Collection:
    """Where a school's documents go: its own collection, else the root one."""
    school = School.objects.for_page(parent)
    if school is not None and school.collection_id:
        return school.collection
    return Collection.get_first_root_node()


def attach_original(page: PlanPage, parent: Page, name: str, data: bytes) -> PlanAttachment:
    """Store the uploaded file as a document of the school and mark it the signed original."""
    file_name = get_valid_filename(name) or "ke-hoach"
    document = SiteDocument(title=name[:255], collection=school_collection(parent))
    document.file.save(file_name, ContentFile(data), save=False)
    document._set_document_file_metadata()
    document.save()
    return PlanAttachment(document=document, label=name[:255], is_signed_original=True)


@transaction.atomic
def create_draft(
    plan: RecognisedPlan,
    parent: PlanIndexPage,
    *,
    user: AbstractBaseUser,
    original: tuple[str, bytes] | None = None,
) -> PlanPage:
    """A draft ``PlanPage`` under ``parent`` holding everything ``plan`` recognised.

    Not published: a first revision is saved, as Wagtail's "Save draft" does, and
    the page waits for the editor to submit it for review.
    """
    fit = Fitter()
    title = fit(page_title(plan), Page, "title") or _("Imported plan")
    kind = plan.kind if plan.kind in KIND_LABELS else DocumentKind.PLAN
    start, end = _year(plan.period_start_year), _year(plan.period_end_year)
    if start and end and end < start:
        start, end = end, start
    page = PlanPage(
        title=title,
        slug=unique_slug(parent, title),
        live=False,
        has_unpublished_changes=True,
        owner=user,
        document_number=fit(plan.document_number, PlanPage, "document_number"),
        kind=kind,
        parent_body=fit(plan.parent_body, PlanPage, "parent_body"),
        issuing_body=fit(plan.issuing_body, PlanPage, "issuing_body"),
        issue_place=fit(plan.issue_place, PlanPage, "issue_place"),
        issue_date=plan.issue_date if isinstance(plan.issue_date, datetime.date) else None,
        summary=plan.title.strip(),
        period_label=fit(plan.period_label, PlanPage, "period_label"),
        period_start_year=start,
        period_end_year=end,
        recipients="\n".join(line.strip() for line in plan.recipients if line.strip()),
        signer_authority=fit(plan.signer_authority, PlanPage, "signer_authority"),
        signer_name=fit(plan.signer_name, PlanPage, "signer_name"),
    )
    cited = match_legal_bases(plan, parent)
    page.legal_bases = [
        PlanLegalBasis(
            cited_page=cited_page,
            number=fit(basis.number, PlanLegalBasis, "number"),
            date=basis.date,
            issuer=fit(basis.issuer, PlanLegalBasis, "issuer"),
            # A line with no number and no subject keeps its whole text as the title.
            title=fit(
                basis.title or ("" if basis.number else basis.source), PlanLegalBasis, "title"
            ),
        )
        for basis, cited_page in zip(plan.legal_bases, cited, strict=True)
    ]
    page.indicators = [
        PlanIndicator(
            description=fit(item.description, PlanIndicator, "description"),
            target=fit(item.target, PlanIndicator, "target"),
            year=_year(item.year),
        )
        for item in plan.indicators
    ]
    page.milestones = [
        PlanMilestone(year=fit(item.year, PlanMilestone, "year"), activities=item.activities)
        for item in plan.milestones
    ]
    # The body last: it also keeps whole every value cut above.
    page.body = body_blocks(plan, fit)
    if fit.cut:
        page.body = body_blocks(plan, Fitter(), extra=fit.cut)
    if original is not None:
        name, data = original
        page.attachments = [attach_original(page, parent, name, data)]
    parent.add_child(instance=page)
    page.save_revision(user=user, log_action=True, clean=False)
    return page
