"""A whole case as one PDF, for the school's paper file.

A cover (reference, school, dates, the timeline of states and a list of the
records) and then every record of the case in the order of the procedure:
Mẫu 01, each Mẫu 02, every version of Mẫu 03, each Mẫu 04, then the referrals.
Each record is drawn exactly as its own PDF is (:mod:`forms_app.printing.layout`, same
template, stylesheet, font and page footer), so the file and a single printed
record never disagree; a referral, which has no official form, is laid out the
same way from its columns. Pages are numbered per record, as each one is filed
and signed on its own.

The cover names no child, and neither does the file name: only the reference.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext

from config.pdf import pdf_pages
from forms_app.display import local_moment, person_name
from forms_app.models import (
    Assessment,
    Case,
    CaseEvent,
    CaseState,
    IntakeReport,
    InterventionPlan,
    Referral,
    Review,
    TemplateCode,
)
from forms_app.models.records import CaseRecord
from forms_app.printing import layout
from forms_app.printing.sections import (
    RecordDescription,
    Row,
    Section,
    Signature,
    Table,
    as_text,
    numbered,
)

__all__ = [
    "BUNDLE_TEMPLATE",
    "BundledRecord",
    "bundle_filename",
    "case_records",
    "render_bundle",
]

BUNDLE_TEMPLATE = "forms_app/print/case_bundle.html"


@dataclass
class BundledRecord:
    """One record of the file: its template code ("" for a referral) and the record."""

    code: str
    record: CaseRecord

    @property
    def label(self) -> str:
        """What the record is, e.g. "Kế hoạch can thiệp (Mẫu 03) · Phiên bản 2"."""
        name = capfirst(self.record._meta.verbose_name)
        if isinstance(self.record, InterventionPlan):
            version = gettext("Version %(version)s") % {"version": self.record.version}
            return f"{name} · {version}"
        return name


def case_records(case: Case) -> list[BundledRecord]:
    """Every record of ``case`` in the order of the procedure, plans by version."""
    related = ("case__school__district", "author")
    groups: list[tuple[str, object]] = [
        (TemplateCode.INTAKE, IntakeReport.objects.filter(case=case)),
        (TemplateCode.ASSESSMENT, Assessment.objects.filter(case=case)),
        (
            TemplateCode.PLAN,
            InterventionPlan.objects.filter(case=case)
            .select_related("decided_by")
            .order_by("version", "pk"),
        ),
        (TemplateCode.REVIEW, Review.objects.filter(case=case).select_related("plan")),
        ("", Referral.objects.filter(case=case).select_related("receiving_body")),
    ]
    return [
        BundledRecord(str(code), record)
        for code, records in groups
        for record in records.select_related(*related)
    ]


def bundle_filename(case: Case) -> str:
    """The file's name: the reference and nothing else (it shows in download lists)."""
    return f"{case.reference}.pdf"


# The cover --------------------------------------------------------------------------


def _label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def cover_context(case: Case, records: list[BundledRecord]) -> dict:
    """What the cover shows: facts of the case, its timeline of states and the list of records."""
    facts = [
        (_label(Case, "reference"), case.reference),
        (_label(Case, "school"), case.school.name),
        (_label(Case, "received_at"), local_moment(case.received_at)),
        (_label(Case, "state"), case.get_state_display()),
        (_label(Case, "assigned_worker"), person_name(case.assigned_worker)),
    ]
    if case.archived_at is not None:
        facts.append((_label(Case, "archived_at"), local_moment(case.archived_at)))
    events = CaseEvent.objects.filter(case=case).select_related("actor")
    # Each column holds what its heading says: the states the case moved between
    # (not dates, which "From"/"To" would read as in Vietnamese), and who moved it.
    timeline = [
        [
            local_moment(event.at),
            event.get_kind_display(),
            event.get_from_state_display() if event.from_state else "",
            event.get_to_state_display() if event.to_state else "",
            person_name(event.actor),
        ]
        for event in events
    ]
    contents = [
        [str(number), item.label, as_text(layout.record_date(item.record))]
        for number, item in enumerate(records, start=1)
    ]
    return {
        "case": case,
        "title": gettext("Case file"),
        "number": gettext("No. %(number)s") % {"number": case.reference},
        "issuing_body": layout.issuing_body(case.school),
        "place_and_date": layout.place_and_date(case.school, timezone.localdate()),
        "facts": facts,
        "timeline_title": capfirst(CaseEvent._meta.verbose_name_plural),
        "timeline_columns": [
            gettext("Date and time"),
            gettext("Event"),
            gettext("State before"),
            gettext("State after"),
            gettext("By"),
        ],
        "timeline": timeline,
        "contents_columns": [gettext("No."), gettext("Record"), gettext("Date")],
        "contents": contents,
    }


# Referrals, which have no official form --------------------------------------------------


def describe_referral(referral: Referral) -> RecordDescription:
    """A referral in the records' layout: its columns, then any further answers."""
    case = referral.case
    rows = [
        Row(_label(Referral, "receiving_body"), str(referral.receiving_body)),
        Row(_label(Referral, "due_at"), as_text(referral.due_at)),
        Row(_label(Referral, "sent_at"), as_text(referral.sent_at)),
        Row(_label(Referral, "consent_given"), as_text(referral.consent_given)),
    ]
    if referral.danger_exception:
        rows.append(Row(_label(Referral, "danger_exception"), referral.danger_exception))
    answers = referral.answers if isinstance(referral.answers, dict) else {}
    rows += [Row(str(key), as_text(value)) for key, value in answers.items()]
    return RecordDescription(
        form_marker="",
        title=capfirst(Referral._meta.verbose_name),
        number=gettext("No. %(number)s") % {"number": case.reference},
        school_name=case.school.name,
        place_and_date=layout.place_and_date(case.school, layout.record_date(referral)),
        sections=[Section(f"1. {capfirst(Referral._meta.verbose_name)}", rows)],
        signatures=[Signature(role=gettext("Referred by"), name=person_name(referral.author))],
        legal_basis=referral.legal_basis,
        template_version=referral.template_version,
    )


# What was said along the way ----------------------------------------------------------


def _event_text(event: CaseEvent) -> str:
    """What happened, in words: the state reached, or the kind of event."""
    if event.to_state:
        return event.get_to_state_display()
    return event.get_kind_display()


def describe_decisions(case: Case) -> RecordDescription | None:
    """The last sheet: every note of the timeline (the principal's comments on plans
    among them), and the closing with its reason; None when there is nothing to say.
    """
    events = list(CaseEvent.objects.filter(case=case).select_related("actor"))
    closing = next(
        (event for event in reversed(events) if event.to_state == CaseState.CLOSED), None
    )
    # The closing's reason has a section of its own.
    noted = [event for event in events if event.note.strip() and event is not closing]
    if not noted and closing is None:
        return None
    notes = Table(
        caption="",
        columns=[
            gettext("Date and time"),
            gettext("Event"),
            gettext("By"),
            gettext("Comment or note"),
        ],
        rows=[
            [local_moment(event.at), _event_text(event), person_name(event.actor), event.note]
            for event in noted
        ],
    )
    parts: list[tuple[str, list[Row | Table]]] = [
        (gettext("Comments and notes along the way"), [notes])
    ]
    signatures = []
    if closing is not None:
        parts.append(
            (
                gettext("Closing of the case"),
                [
                    Row(gettext("Closed at"), local_moment(closing.at)),
                    Row(gettext("Closed by"), person_name(closing.actor)),
                    Row(gettext("Reason for closing"), closing.note),
                ],
            )
        )
        signatures = [
            Signature(role=pgettext("signature", "Principal"), name=person_name(closing.actor))
        ]
    return RecordDescription(
        form_marker="",
        title=gettext("Comments, notes and closing"),
        number=gettext("No. %(number)s") % {"number": case.reference},
        school_name=case.school.name,
        place_and_date=layout.place_and_date(
            case.school, timezone.localdate(closing.at if closing else events[-1].at)
        ),
        sections=numbered(parts),
        signatures=signatures,
    )


# The PDF ------------------------------------------------------------------------------


def bundle_html(request: HttpRequest | None, case: Case) -> str:
    """The cover, each record and the last sheet as one HTML document, in the order printed."""
    records = case_records(case)
    sheets = []
    for item in records:
        if item.code:
            description = layout.describe_record(item.code, item.record)
        else:
            description = describe_referral(item.record)
        sheets.append(layout.print_context(item.code, description, item.record, for_pdf=True))
    decisions = describe_decisions(case)
    if decisions is not None:
        sheets.append(layout.sheet_context(decisions, case.school))
    context = {**cover_context(case, records), "sheets": sheets}
    return render_to_string(BUNDLE_TEMPLATE, context, request=request)


def render_bundle(request: HttpRequest | None, case: Case) -> bytes:
    """The whole case as one A4 PDF, its pages numbered across the file."""
    return pdf_pages([bundle_html(request, case)])
