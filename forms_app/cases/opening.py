"""Opening a case: the one place a case reference is made."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from forms_app.models import Case, CaseEvent, CaseState
from schools.models import School


def next_reference(school: School, year: int) -> tuple[int, str]:
    """The next sequence number and reference of ``school`` in ``year``: (7, "HB-2026-0007")."""
    last = Case.objects.filter(school=school, year=year).aggregate(n=Max("sequence"))["n"] or 0
    sequence = last + 1
    return sequence, f"{school.code}-{year}-{sequence:04d}"


def open_case(
    school: School,
    user,
    received_at: datetime.datetime | None = None,
    **learner,
) -> Case:
    """Create a case in state "received" with a readable reference, and record who opened it.

    Two workers opening cases at the same moment could pick the same number; the
    unique constraint catches that and the next number is tried.
    """
    received_at = received_at or timezone.now()
    year = timezone.localtime(received_at).year
    for _attempt in range(5):
        sequence, reference = next_reference(school, year)
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    school=school,
                    year=year,
                    sequence=sequence,
                    reference=reference,
                    received_at=received_at,
                    created_by=user,
                    assigned_worker=user,
                    state=CaseState.RECEIVED,
                    **learner,
                )
                CaseEvent.objects.create(
                    case=case,
                    actor=user,
                    kind=CaseEvent.Kind.TRANSITION,
                    to_state=CaseState.RECEIVED,
                )
                return case
        except IntegrityError:
            continue
    raise IntegrityError("Could not allocate a case reference; try again.")
