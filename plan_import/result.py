"""What the importer recognised in one document: the contract between its parts.

``recognise.recognise(text)`` fills a ``RecognisedPlan``; the review screen shows
and edits it; ``drafts.create_draft`` turns it into a draft ``PlanPage``; and
``import_plans --dry-run --json`` prints ``as_json()``. Every item keeps the source
line(s) it came from, so the review screen can show the text beside the field,
and whatever matched no rule is kept in ``leftovers`` (never dropped).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any


@dataclasses.dataclass
class LegalBasis:
    """One "Căn cứ …" or "Thực hiện …" line: a document the plan rests on."""

    verb: str  # "Căn cứ" or "Thực hiện", as written
    number: str = ""  # "33/2018/TT-BGDĐT"; "" when the line gives none
    kind: str = ""  # "Thông tư", "Quyết định", "Công văn", … as written
    date: datetime.date | None = None
    issuer: str = ""  # "Bộ Giáo dục và Đào tạo"
    title: str = ""  # what it is about: "về hướng dẫn công tác xã hội trường học"
    source: str = ""  # the whole line as read


@dataclasses.dataclass
class Point:
    """a), b), đ) … under a clause, or a bullet ("-", "+") kept as a point with number ""."""

    number: str
    text: str


@dataclasses.dataclass
class Clause:
    """1., 2., 1.1. … under a section: heading, running text and points."""

    number: str
    heading: str = ""
    text: str = ""
    points: list[Point] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Section:
    """I., II., … (or 1., 2. when a document has no Roman level)."""

    number: str
    heading: str
    text: str = ""
    clauses: list[Clause] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Indicator:
    """A target with a number and unit: "80% các trường học …" by 2025."""

    description: str
    target: str  # "80%", "12 buổi", "01 đến 02 cán bộ"
    year: int | None = None


@dataclasses.dataclass
class Milestone:
    """What is planned for one year or span of the period (lộ trình)."""

    year: str  # "2025" or "2021–2025"
    activities: str


@dataclasses.dataclass
class RecognisedPlan:
    """Everything read off one document, in the order of ``PlanPage``'s fields."""

    document_number: str = ""  # "619/KH-GDĐT"; "/KH-UBND" when still unnumbered
    number_blank: bool = False  # "Số: /KH-UBND" or "Số: …/KH-…": to be given on signing
    kind: str = "plan"  # a pages.models.plans.DocumentKind value
    issuing_body: str = ""  # "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"
    parent_body: str = ""  # "UBND TP THÁI NGUYÊN"
    issue_place: str = ""  # "TP. Thái Nguyên"
    issue_date: datetime.date | None = None
    date_text: str = ""  # the date line as written, kept when the date is blank or partial
    title: str = ""  # "Thực hiện Chương trình … giai đoạn 2021-2030 …" (without "KẾ HOẠCH")
    legal_bases: list[LegalBasis] = dataclasses.field(default_factory=list)
    preamble: str = ""  # the text between the bases and section I, e.g. "… như sau:"
    sections: list[Section] = dataclasses.field(default_factory=list)
    closing: str = ""  # "Trên đây là Kế hoạch …/."
    indicators: list[Indicator] = dataclasses.field(default_factory=list)
    period_label: str = ""  # "giai đoạn 2021-2030", "năm học 2025-2026"
    period_start_year: int | None = None
    period_end_year: int | None = None
    milestones: list[Milestone] = dataclasses.field(default_factory=list)
    recipients: list[str] = dataclasses.field(default_factory=list)
    signer_authority: str = ""  # "KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG"
    signer_name: str = ""
    leftovers: list[str] = dataclasses.field(default_factory=list)  # lines no rule took

    def as_json(self) -> dict[str, Any]:
        """Plain JSON types (dates as ISO strings), the shape ``--dry-run --json`` prints."""

        def plain(value: Any) -> Any:
            if isinstance(value, datetime.date):
                return value.isoformat()
            if isinstance(value, list):
                return [plain(item) for item in value]
            if isinstance(value, dict):
                return {key: plain(item) for key, item in value.items()}
            return value

        return plain(dataclasses.asdict(self))
