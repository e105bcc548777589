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
