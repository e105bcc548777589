"""What a record says, as titled sections of rows and tables.

One description of a record, read by the print layout, the PDF and the case
page, so the three never disagree. Each wizard builds it for its own template
(``CaseWizard.describe_sections``): it knows its steps, labels and tables. A
wizard that does not is described by :func:`generic_sections`, from its steps.
"""

import datetime
from dataclasses import dataclass, field

from django.forms import Form
from django.utils import timezone
from django.utils.translation import gettext

from forms_app.display import MOMENT_FORMAT, local_date, local_moment


@dataclass
class Row:
    """One answer: the question's label and the answer as text ("" when not given)."""

    label: str
    value: str


@dataclass
class Table:
    """A table of the form (rated criteria, needs, activities, results)."""

    caption: str
    columns: list[str]
    rows: list[list[str]]
    # Shown under the rows, e.g. the counts per level of a rated table.
    footer: list[str] | None = None


@dataclass
class Section:
    """A numbered part of the form, e.g. "2. Thông tin người học"."""

    title: str
    items: list[Row | Table] = field(default_factory=list)


@dataclass
class Signature:
    """A signature block: the role above, the signer's name below."""

    role: str
    name: str = ""
    # e.g. "Đã phê duyệt ngày 12/03/2026" on the principal's block of Mẫu 03.
    note: str = ""


@dataclass
class RecordDescription:
    """Everything the print layout needs about one record, already in words."""

    form_marker: str  # "Mẫu số 01"
    title: str  # the form's title as printed
    number: str  # "Số: …/BC-…", the reference on the form
    school_name: str
    place_and_date: str  # "Hòa Bản, ngày 12 tháng 3 năm 2026"
    sections: list[Section]
    signatures: list[Signature]
    legal_basis: str = ""
    template_version: str = ""


def field_label(form_class: type[Form], name: str) -> str:
    """A step form field's label: a record reads as the screen asked."""
    return str(form_class.base_fields[name].label)


def numbered(titles_and_items: list[tuple[str, list[Row | Table]]]) -> list[Section]:
    """Sections numbered 1, 2, … in the order given, as on the official form."""
    return [
        Section(title=f"{number}. {title}", items=items)
        for number, (title, items) in enumerate(titles_and_items, start=1)
    ]


# Reading stored answers ------------------------------------------------------------
# Answers are kept by step as JSON, and come from other template versions too:
# anything not in the expected shape reads as empty rather than breaking a form.


def step_answers(answers, step: str) -> dict:
    """The answers of ``step`` ({} when there are none, or they are not a mapping)."""
    value = answers.get(step) if isinstance(answers, dict) else None
    return value if isinstance(value, dict) else {}


def step_items(answers, step: str) -> list:
    """The rows of a list step, kept as ``answers[step]["items"]`` ([] when there are none)."""
    items = step_answers(answers, step).get("items")
    return items if isinstance(items, list) else []


# Turning stored answers into words ------------------------------------------------
# Dates are stored as ISO strings and reference items as {"id": …, "name": …}
# snapshots; these put them into the words a form prints.


def unknown_text() -> str:
    """What a fact about a person reads as when it was not known (never a blank)."""
    return gettext("Not known")


def as_text(value, *, person_fact: bool = False) -> str:
    """Any stored answer as text; an empty fact about a person reads "Not known".

    Lists are joined with commas, reference snapshots show their name, booleans
    read Yes/No and ISO dates read dd/mm/yyyy.
    """
    if value is None or value == "" or value == []:
        return unknown_text() if person_fact else ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, dict) and "name" in value:
        return str(value["name"])
    if isinstance(value, list | tuple):
        return ", ".join(as_text(item) for item in value if item not in (None, ""))
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            return local_moment(value)
        return value.strftime(MOMENT_FORMAT)
    if isinstance(value, datetime.date):
        return local_date(value)
    if isinstance(value, str):
        parsed = _parse_iso_date(value)
        if parsed is not None:
            return as_text(parsed)
    return str(value)


def _parse_iso_date(value: str) -> datetime.date | None:
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def choice_text(choices, value) -> str:
    """The label of ``value`` among Django ``choices`` (the value itself if it is unknown)."""
    for key, label in choices:
        if str(key) == str(value):
            return str(label)
    return as_text(value)


def snapshot(item) -> dict | None:
    """A reference item as stored in answers: its id and its name at the time of writing.

    A later rename of the item in the admin does not change what a signed record says.
    """
    if item is None:
        return None
    return {"id": item.pk, "name": str(item)}


# A record of a template that does not describe itself ------------------------------------


def _cell(value) -> str:
    if isinstance(value, dict) and "name" not in value:
        return "; ".join(f"{key}: {as_text(item)}" for key, item in value.items())
    return as_text(value)


def _table(caption: str, items: list[dict]) -> Table:
    columns: list[str] = []
    for item in items:
        columns += [key for key in item if key not in columns]
    rows = [[_cell(item.get(key)) for key in columns] for item in items]
    return Table(caption=caption, columns=columns, rows=rows)


def _in_order(values: dict, known: list[str]) -> list[str]:
    # JSON objects lose their key order in PostgreSQL's jsonb: the form's order first.
    return [key for key in known if key in values] + [key for key in values if key not in known]


def generic_sections(wizard, record) -> list[Section]:
    """A plain description of a record's answers, for a wizard that cannot describe itself.

    One section per step in the wizard's order (titled by the step's form when the
    step still exists), one row per field labelled by the form's field, and a table
    for each list of items. Less faithful than a template's own description, but a
    record is never unprintable. ``wizard`` needs only a ``form_list``.
    """
    answers = record.answers if isinstance(record.answers, dict) else {}
    steps: dict[str, type[Form]] = dict(wizard.form_list)
    sections = []
    for number, step in enumerate(_in_order(answers, list(steps)), start=1):
        form_class = steps.get(step)
        title = str(getattr(form_class, "title", "") or step)
        fields = form_class.base_fields if form_class is not None else {}
        values = answers[step]
        if not isinstance(values, dict):
            values = {step: values}
        items: list[Row | Table] = []
        for name in _in_order(values, list(fields)):
            form_field = fields.get(name)
            label = str(form_field.label) if form_field is not None and form_field.label else name
            value = values[name]
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                if all("name" in v and "id" in v for v in value):
                    items.append(Row(label, as_text(value)))  # reference snapshots
                else:
                    items.append(_table(label, value))
            else:
                items.append(Row(label, _cell(value)))
        sections.append(Section(f"{number}. {title}", items))
    return sections
