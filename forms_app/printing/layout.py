"""The printed form of a record (Mẫu 01–04): its description, its HTML page and its PDF.

A record is printed in the layout of Vietnamese administrative forms: the issuing
body and the school over the document number on the left, the national motto on
the right, place and date, the form marker, the title, the numbered sections the
template's wizard describes, the signature blocks, and the legal basis in small
print. One template renders both the print page and the PDF, so what a browser
prints and what WeasyPrint draws never disagree.

The PDF is drawn by ``config.pdf`` with the bundled stylesheet and font.
"""

import datetime

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.pdf import pdf_pages
from forms_app.display import case_url, person_name
from forms_app.models import (
    Assessment,
    IntakeReport,
    InterventionPlan,
    Review,
    TemplateCode,
)
from forms_app.models.records import CaseRecord
from forms_app.printing.sections import (
    RecordDescription,
    Row,
    Section,
    Signature,
    Table,
    as_text,
    generic_sections,
)
from forms_app.wizards import WIZARDS
from schools.models import School

__all__ = [
    "RECORD_MODELS",
    "TEMPLATE_NAME",
    "describe_record",
    "generic_sections",
    "issuing_body",
    "label_text",
    "pdf_filename",
    "place_and_date",
    "print_context",
    "record_date",
    "render_html",
    "render_pdf",
    "sheet_context",
    "signatures",
]

TEMPLATE_NAME = "forms_app/print/record.html"

RECORD_MODELS: dict[str, type[CaseRecord]] = {
    TemplateCode.INTAKE: IntakeReport,
    TemplateCode.ASSESSMENT: Assessment,
    TemplateCode.PLAN: InterventionPlan,
    TemplateCode.REVIEW: Review,
}

# The official titles of the four forms, in sentence case: the layout prints them
# in capitals, and the case page may show them as they are.
TITLES = {
    TemplateCode.INTAKE: _("Report on the information received"),
    TemplateCode.ASSESSMENT: _(
        "Report on the assessment of the level and risk of harm and of the learner's needs"
    ),
    TemplateCode.PLAN: _("Intervention and support plan for the learner"),
    TemplateCode.REVIEW: _(
        "Report on the review and assessment of the learner's situation after "
        "the intervention and support"
    ),
}

# The symbol after the case reference in the document number ("Số: HB-2026-0007/BC-TN"):
# báo cáo tiếp nhận, báo cáo đánh giá, kế hoạch can thiệp, báo cáo rà soát. Symbols of
# Vietnamese documents are the same in every interface language, like the reference.
DOCUMENT_SYMBOLS = {
    TemplateCode.INTAKE: "BC-TN",
    TemplateCode.ASSESSMENT: "BC-ĐG",
    TemplateCode.PLAN: "KH-CT",
    TemplateCode.REVIEW: "BC-RS",
}

PlanStatus = InterventionPlan.Status

# Who signs each form, under the role's name.
SIGNER_ROLES = {
    TemplateCode.INTAKE: _("Received by"),
    TemplateCode.ASSESSMENT: _("Assessed by"),
    TemplateCode.PLAN: _("Plan drawn up by"),
    TemplateCode.REVIEW: _("Reviewed by"),
}


# The description ------------------------------------------------------------------


def record_date(record: CaseRecord) -> datetime.date:
    """The date printed on the record: the day it was made, in the school's time zone."""
    return timezone.localdate(record.created_at)


# What the date line holds when the school has no place name: dots to write it in by
# hand, as on a blank official form, rather than a wrong place (the school's name).
PLACE_BLANK = "…………"


def place_and_date(school: School, date: datetime.date) -> str:
    """The place and date line ("Hòa Bản, ngày 05 tháng 3 năm 2026"), as Nghị định 30/2020 asks.

    The place is the school's ``place_name`` (its ward or commune, or district or
    province), never its name; without one, dots leave it to be written by hand.
    Days below 10 and the months January and February take a leading zero, so the
    date cannot be altered by adding a digit.
    """
    day = f"{date.day:02d}" if date.day < 10 else str(date.day)
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return gettext("%(place)s, %(day)s/%(month)s/%(year)s") % {
        "place": school.place_name.strip() or PLACE_BLANK,
        "day": day,
        "month": month,
        "year": date.year,
    }


def issuing_body(school: School) -> str:
    """The body above the school in the header (its Phòng GD&ĐT), or "" when none is set."""
    district = school.district
    return district.name if district is not None else ""


def describe_sections(code: str, record: CaseRecord) -> list[Section]:
    """The record's numbered sections: what its template's wizard says it reads as.

    The one entry to a record's description, for the print page, the PDF, the
    whole-case PDF and the case page. Anything in ``WIZARDS`` that is not a
    ``CaseWizard`` (a stand-in without ``describe_sections``) is described from
    its steps.
    """
    wizard = WIZARDS[code]
    describe = getattr(wizard, "describe_sections", None)
    if describe is None:
        return generic_sections(wizard, record)
    return describe(record)


def signatures(code: str, record: CaseRecord) -> list[Signature]:
    """The signature blocks at the foot of the form, in the order they are printed.

    The plan (Mẫu 03) has the principal's approval on the left and its author on
    the right, as approval blocks stand on Vietnamese plans; the principal's block
    names the decision, its date and the principal once decided, and is left empty
    for a hand signature before.
    """
    author = Signature(role=str(SIGNER_ROLES[code]), name=person_name(record.author))
    if code != TemplateCode.PLAN:
        return [author]
    approval = Signature(role=gettext("Principal's approval"))
    if record.decided_at is not None:
        decided_on = {"date": as_text(timezone.localdate(record.decided_at))}
        # A superseded plan was approved before a newer version replaced it.
        if record.status in (PlanStatus.APPROVED, PlanStatus.SUPERSEDED):
            approval.note = gettext("Approved on %(date)s") % decided_on
        elif record.status == PlanStatus.RETURNED:
            approval.note = gettext("Returned on %(date)s") % decided_on
        if approval.note:
            approval.name = person_name(record.decided_by)
    return [approval, author]


def describe_record(code: str, record: CaseRecord) -> RecordDescription:
    """Everything the print layout shows about ``record`` of template ``code``, in words."""
    case = record.case
    school = case.school
    return RecordDescription(
        form_marker=gettext("Form No. %(code)s") % {"code": code},
        title=str(TITLES[code]),
        number=gettext("No. %(number)s") % {"number": f"{case.reference}/{DOCUMENT_SYMBOLS[code]}"},
        school_name=school.name,
        place_and_date=place_and_date(school, record_date(record)),
        sections=describe_sections(code, record),
        signatures=signatures(code, record),
        legal_basis=record.legal_basis,
        template_version=record.template_version,
    )


def pdf_filename(code: str, record: CaseRecord) -> str:
    """The PDF's file name: the case reference and the form, never anything about the child.

    A file name shows in download lists, mail attachments and shared folders,
    where the child's name must not.
    """
    return f"{record.case.reference}_mau-{code}.pdf"


# HTML and PDF ------------------------------------------------------------------------


def label_text(label) -> str:
    """A row's label as printed before its answer: with a colon, unless it has its own mark.

    A label that is a question ("…không?") or ends in a colon keeps its punctuation.
    """
    label = str(label).rstrip()
    if label and label[-1] not in ":?!.":
        label += ":"
    return label


def _printed(item: Row | Table) -> dict:
    """An item as the template prints it: a table, or a row with its label as printed."""
    if isinstance(item, Table):
        return {"table": item}
    return {"label": label_text(item.label), "value": item.value}


def sheet_context(description: RecordDescription, school: School) -> dict:
    """What the sheet template (a record as printed) needs to draw ``description``."""
    return {
        "description": description,
        "sections": [
            {"title": section.title, "items": [_printed(item) for item in section.items]}
            for section in description.sections
        ],
        "issuing_body": issuing_body(school),
    }


def print_context(code: str, description: RecordDescription, record, *, for_pdf: bool) -> dict:
    """What :data:`TEMPLATE_NAME` needs to print ``description`` of ``record``.

    ``code`` is the template's ("" for a referral, which has no official form).
    The print page adds its toolbar's links to it.
    """
    return {
        "code": code,
        "record": record,
        "case": record.case,
        **sheet_context(description, record.case.school),
        "for_pdf": for_pdf,
    }


def render_html(
    request: HttpRequest | None, code: str, record: CaseRecord, *, for_pdf: bool = False
) -> str:
    """The record as an HTML page; ``for_pdf`` leaves out the toolbar and the stylesheet link.

    WeasyPrint is given the stylesheet as a file (see :func:`config.pdf.pdf_pages`), and a
    toolbar of links and buttons means nothing on paper.
    """
    context = print_context(code, describe_record(code, record), record, for_pdf=for_pdf)
    if not for_pdf:
        context.update(
            case_url=case_url(record.case_id),
            pdf_url=reverse("forms_app:record_pdf", args=[code, record.pk]),
        )
    return render_to_string(TEMPLATE_NAME, context, request=request)


def render_pdf(request: HttpRequest | None, code: str, record: CaseRecord) -> bytes:
    """The record as an A4 PDF."""
    return pdf_pages([render_html(request, code, record, for_pdf=True)])
