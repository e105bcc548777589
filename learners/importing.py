"""Importing a class list in two steps: what it would do (the preview), then doing it.

A row is the same learner as one on the list when their personal IDs match, else
when name and date of birth both match a learner without another ID. A match whose
details differ is updated (a blank cell never erases what the list holds; a learner
who had left is back on the roll), one that does not differ is unchanged, and a row
matching nobody is new. The rows read from the file are kept between the two steps
on the server, encrypted, in the user's session (:func:`keep_rows`): the file is
never uploaded twice, and the plan is worked out again on confirmation, inside the
transaction that writes it, so it applies to the list as it is then.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from forms_app.encryption import blind_index, decrypt_text, encrypt_text
from learners.excel import BadRow, ClassListRow
from learners.models import Learner
from schools.models import School

SESSION_KEY = "learners_import"
# A preview older than this is read again from a new upload.
KEEP_SECONDS = 30 * 60
COMPARED = ("full_name", "birth_date", "gender", "class_name", "personal_id")


@dataclass
class Planned:
    """A row and what importing it does: ``learner`` is None for a new learner."""

    row: ClassListRow
    learner: Learner | None
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    """What importing the rows would do to a school's list."""

    new: list[Planned] = field(default_factory=list)
    updated: list[Planned] = field(default_factory=list)
    unchanged: list[Planned] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)

    @property
    def writes(self) -> int:
        return len(self.new) + len(self.updated)


def plan_import(school: School, rows: list[ClassListRow], bad: list[BadRow]) -> ImportPlan:
    """Match each row with the school's list; reads only the learners the rows may be."""
    plan = ImportPlan(bad=list(bad))
    id_indexes = {blind_index(row.personal_id) for row in rows if row.personal_id}
    name_indexes = {blind_index(row.full_name) for row in rows}
    candidates = list(
        Learner.objects.filter(school=school, personal_id_index__in=id_indexes)
        | Learner.objects.filter(school=school, name_index__in=name_indexes)
    )
    by_id = {learner.personal_id: learner for learner in candidates if learner.personal_id}
    by_name: dict[str, list[Learner]] = {}
    for learner in candidates:
        by_name.setdefault(learner.name_index, []).append(learner)
    taken: dict[int, str] = {}

    for row in rows:
        learner = by_id.get(row.personal_id) if row.personal_id else None
        if learner is None:
            same = [
                other
                for other in by_name.get(blind_index(row.full_name), [])
                if row.birth_date is not None
                and other.birth_date == row.birth_date
                and (not other.personal_id or not row.personal_id)
            ]
            if len(same) > 1:
                plan.bad.append(
                    BadRow(
                        row.number,
                        _(
                            "Several learners on the list have this name and date of birth; "
                            "add the personal ID to tell them apart."
                        ),
                    )
                )
                continue
            learner = same[0] if same else None
        if learner is not None and learner.pk in taken:
            plan.bad.append(
                BadRow(
                    row.number,
                    _("The same learner as on row %(row)s.") % {"row": taken[learner.pk]},
                )
            )
            continue
        if learner is None:
            plan.new.append(Planned(row, None))
            continue
        taken[learner.pk] = row.number
        changes = _changes(learner, row)
        (plan.updated if changes else plan.unchanged).append(Planned(row, learner, changes))
    plan.bad.sort(key=lambda bad_row: _row_order(bad_row.number))
    return plan


def _row_order(number: str) -> tuple[str, int]:
    sheet, _sep, line = number.rpartition(" · ")
    return (sheet, int(line) if line.isdigit() else 0)


def _changes(learner: Learner, row: ClassListRow) -> list[str]:
    """The fields the row would change; a blank cell changes nothing."""
    changed = [
        name
        for name in COMPARED
        if getattr(row, name) not in (None, "") and getattr(row, name) != getattr(learner, name)
    ]
    if not learner.on_roll:
        changed.append("on_roll")
    return changed


@transaction.atomic
def apply_import(school: School, rows: list[ClassListRow], bad: list[BadRow]) -> ImportPlan:
    """Plan again against the list as it is now, and write it, all or nothing."""
    plan = plan_import(school, rows, bad)
    for planned in plan.new:
        row = planned.row
        Learner.objects.create(
            school=school,
            full_name=row.full_name,
            birth_date=row.birth_date,
            gender=row.gender,
            class_name=row.class_name,
            personal_id=row.personal_id,
        )
    for planned in plan.updated:
        learner = planned.learner
        for name in planned.changes:
            if name == "on_roll":
                learner.on_roll = True
            else:
                setattr(learner, name, getattr(planned.row, name))
        learner.save()
    return plan


# Keeping the rows between the two steps ------------------------------------------------


def keep_rows(
    request: HttpRequest, school: School, rows: list[ClassListRow], bad: list[BadRow]
) -> None:
    """Keep what the file said, encrypted, in the session until it is confirmed."""
    payload = {
        "school": school.pk,
        "at": timezone.now().timestamp(),
        "rows": [row.as_json() for row in rows],
        "bad": [[bad_row.number, bad_row.reason] for bad_row in bad],
    }
    request.session[SESSION_KEY] = encrypt_text(json.dumps(payload, ensure_ascii=False))


def kept_rows(request: HttpRequest) -> tuple[int, list[ClassListRow], list[BadRow]] | None:
    """(school id, rows, bad rows) kept by :func:`keep_rows`, or None when there are none
    or they are too old."""
    token = request.session.get(SESSION_KEY)
    if not token:
        return None
    try:
        payload = json.loads(decrypt_text(token))
    except Exception:
        # A key rotated away or a session from another version: upload again.
        forget_rows(request)
        return None
    if timezone.now().timestamp() - payload["at"] > KEEP_SECONDS:
        forget_rows(request)
        return None
    rows = [ClassListRow.from_json(data) for data in payload["rows"]]
    bad = [BadRow(number, reason) for number, reason in payload["bad"]]
    return payload["school"], rows, bad


def forget_rows(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
