"""Each record of a case in short, for the case page.

Read from the one description of a record (:func:`layout.describe_sections`),
the one the print page and the PDFs read: under the record's name, date and
author, the rows of the sections its wizard says sum it up
(``CaseWizard.summary_sections``), beside links to its print page and PDF. A
referral, which has no official form, is summed up by the one section the
whole-case PDF prints for it. The records are the whole-case PDF's, in its order.
"""

from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from django.urls import reverse

from forms_app.display import person_name
from forms_app.models import Case
from forms_app.printing import layout
from forms_app.printing.bundle import BundledRecord, case_records, describe_referral
from forms_app.printing.sections import Row, Section, as_text
from forms_app.wizards import WIZARDS

__all__ = ["RecordSummary", "case_summaries", "summarize"]


@dataclass
class RecordSummary:
    """A record as the case page shows it, already in words."""

    title: str  # "Kế hoạch can thiệp (Mẫu 03) · Phiên bản 2"
    date: str  # the date printed on the record
    author: str
    # The summary sections' rows that say something (a blank answer is left out),
    # labelled as printed.
    rows: list[Row] = field(default_factory=list)
    legal_basis: str = ""
    template_version: str = ""
    print_url: str = ""
    pdf_url: str = ""


def _first_section(sections: list[Section]) -> list[Section]:
    return sections[:1]


def _rows(sections: list[Section]) -> list[Row]:
    return [
        Row(layout.label_text(item.label), item.value)
        for section in sections
        for item in section.items
        if isinstance(item, Row) and item.value
    ]


def summarize(item: BundledRecord) -> RecordSummary:
    """``item``'s record in short: the rows of the sections that sum it up, and its links."""
    record = item.record
    summary = RecordSummary(
        title=item.label,
        date=as_text(layout.record_date(record)),
        author=person_name(record.author),
        legal_basis=record.legal_basis,
        template_version=record.template_version,
    )
    if not item.code:
        summary.rows = _rows(describe_referral(record).sections)
        return summary
    wizard = WIZARDS[item.code]
    pick = getattr(wizard, "summary_sections", _first_section)
    summary.rows = _rows(pick(layout.describe_sections(item.code, record)))
    summary.print_url = reverse("forms_app:record_print", args=[item.code, record.pk])
    summary.pdf_url = reverse("forms_app:record_pdf", args=[item.code, record.pk])
    return summary


def case_summaries(case: Case) -> list[RecordSummary]:
    """Every record of ``case`` in short, in the order of the procedure.

    A fixed number of queries however many records the case has: the records are
    read one query per kind (:func:`bundle.case_records`) and all describe
    ``case`` itself, loaded once with what descriptions read of it (its
    categories for Mẫu 01, its assessments for Mẫu 04's earlier levels).
    """
    prefetch_related_objects([case], "categories", "assessments")
    records = case_records(case)
    for item in records:
        item.record.case = case
    return [summarize(item) for item in records]
