"""The principal's list of their school's cases as a spreadsheet (CSV or XLSX).

What the export holds, and why so little: the reference, the state, the date the
information came in, the next deadline and its kind, the issue categories and the
assigned case worker. That is what a principal needs to plan the team's work and
to report numbers upwards. It never holds the learner's name, date of birth,
class or any narrative (conditions, stories, answers of the templates): a
spreadsheet leaves the protected area for good. It is mailed, copied to USB
sticks and opened on shared computers, where nothing checks who reads it, so a
child's identity or story in it would escape every protection of the case area.
The reference is enough to find a case inside the area. The file name carries
only the school's code.

Only a principal of the school may export (checked on the server): staff without
a case role at the school get a 404, as for a case they may not read, and a case
worker of the school a 403, since the export is a principal's decision. Every
export is written to the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit import log
from audit.models import Action
from config.exports import csv_response, xlsx_response
from forms_app.cases import policy
from forms_app.cases.todo import deadline_label
from forms_app.display import local_moment, person_name
from forms_app.models import Case
from forms_app.wizards import forbidden
from schools.models import School

__all__ = ["HEADER", "case_rows", "export_cases"]

HEADER = [
    _("Reference"),
    _("State"),
    _("Information received"),
    _("Next deadline"),
    _("Kind of deadline"),
    _("Kind of issue"),
    _("Assigned case worker"),
]

FORMATS = ("csv", "xlsx")


def case_rows(school: School) -> Iterator[list[str]]:
    """One row per case of ``school``, oldest first, with no fact about the learner."""
    cases = (
        Case.objects.filter(school=school)
        .select_related("assigned_worker")
        .prefetch_related("categories")
        .order_by("received_at", "pk")
    )
    for case in cases:
        yield [
            case.reference,
            case.get_state_display(),
            local_moment(case.received_at),
            local_moment(case.next_deadline),
            deadline_label(case.next_deadline_label),
            ", ".join(category.name for category in case.categories.all()),
            person_name(case.assigned_worker),
        ]


def export_cases(request: HttpRequest, school_pk: int, fmt: str) -> HttpResponse:
    """The school's cases as ``fmt`` ("csv" or "xlsx"), for a principal of that school."""
    if fmt not in FORMATS:
        raise Http404("Unknown export format.")
    school = policy.case_schools(request.user).filter(pk=school_pk).first()
    if school is None:
        # Another school, or one that does not exist: the same answer for both.
        raise Http404("No school matches the given query.")
    if not policy.is_principal(request.user, school):
        return forbidden(request)
    log.record(request, Action.EXPORT, school=school, detail=f"cases {fmt}")
    filename = f"ho-so-{school.code.lower()}.{fmt}"
    header = [str(title) for title in HEADER]
    if fmt == "xlsx":
        return xlsx_response(filename, header, case_rows(school), title=gettext("Cases"))
    return csv_response(filename, header, case_rows(school))
