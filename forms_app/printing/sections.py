"""What a record says, as titled sections of rows and tables.

One description of a record, read by the print layout, the PDF and the case
page, so the three never disagree. Each wizard builds it for its own template
(``CaseWizard.describe``): it knows its steps, labels and tables.
"""

from dataclasses import dataclass, field


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


# Turning stored answers into words ------------------------------------------------
# Answers are stored as JSON (dates as ISO strings, reference items as
# {"id": …, "name": …} snapshots); these put them into the words a form prints.


def unknown_text() -> str:
    """What a fact about a person reads as when it was not known (never a blank)."""
    from django.utils.translation import gettext

    return gettext("Not known")


def as_text(value, *, person_fact: bool = False) -> str:
    """Any stored answer as text; an empty fact about a person reads "Not known".

    Lists are joined with commas, reference snapshots show their name, booleans
    read Yes/No and ISO dates read dd/mm/yyyy.
    """
    import datetime

    from django.utils.translation import gettext

    if value is None or value == "" or value == []:
        return unknown_text() if person_fact else ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, dict) and "name" in value:
        return str(value["name"])
    if isinstance(value, list | tuple):
        return ", ".join(as_text(item) for item in value if item not in (None, ""))
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        parsed = _parse_iso_date(value)
        if parsed is not None:
            return as_text(parsed)
    return str(value)


def _parse_iso_date(value: str):
    import datetime

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
