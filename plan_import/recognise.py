"""An official Vietnamese plan's text read into a ``RecognisedPlan``.

The layout is the one Nghị định 30/2020/NĐ-CP prescribes, as offices really type
it: a header (parent and issuing body, national motto, "Số: …", place and date),
the kind word ("KẾ HOẠCH") and the title, the documents the plan rests on ("Căn cứ
…", "Thực hiện …"), a preamble ending "như sau:", numbered parts (I. → 1. → a) and
bullets), the closing "Trên đây là …", "Nơi nhận:" and the signer's block.

The recogniser works on paragraphs (``normalise``) in one pass, each rule a
bounded regular expression on one line, so a 40-page plan takes milliseconds.
Whatever no rule takes lands in ``leftovers`` in order: the editor reviews a draft,
and a line silently lost would be worse than one shown in the wrong place.
"""

from __future__ import annotations

import datetime
import re

from .extract import CELL_SEPARATOR
from .normalise import DASH, is_upper_line, normalise
from .result import (
    Clause,
    Indicator,
    LegalBasis,
    Milestone,
    Point,
    RecognisedPlan,
    Section,
)

D = f"[{DASH}]"

KIND_WORDS = [
    # OCR and typing variants of "KẾ HOẠCH" ("KÉ HOẠCH" is common in converted scans).
    (re.compile(r"^K[ẾÉỂẺEÊỀẼỆ]\s*HO[ẠAẶ]CH\b"), "plan"),
    (re.compile(r"^CÔNG\s+VĂN\b"), "official_letter"),
    (re.compile(r"^QUYẾT\s+ĐỊNH\b"), "decision"),
    (re.compile(r"^BÁO\s+CÁO\b"), "report"),
    (re.compile(r"^HƯỚNG\s+DẪN\b"), "guidance"),
]
_MOTTO = re.compile(
    rf"CỘNG\s+H(?:ÒA|OÀ)\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT(?:\s+NAM)?|^NAM$|"
    rf"Độc\s+lập\s*{D}\s*Tự\s+do\s*{D}\s*Hạnh\s+phúc",
    re.IGNORECASE,
)
_NUMBER_LINE = re.compile(r"^Số\s*:?\s*(?P<number>[^|]*?/[^\s|]*)\s*(?:$|\|\s*)(?P<rest>.*)$")
_DATE_LINE = re.compile(
    r"^(?P<place>[^|]*?)\s*,?\s*ngày\s*(?P<d>[\d.…_]*)\s*tháng\s*(?P<m>[\d.…_]*)\s*"
    r"năm\s*(?P<y>\d{4})?\s*$"
)
_BODY_HEAD = re.compile(
    r"\b(?:ỦY BAN|UỶ BAN|UBND|SỞ|PHÒNG|TRƯỜNG|BAN|HỘI ĐỒNG|TRUNG TÂM|BỘ|CÔNG ĐOÀN|ĐOÀN)\b"
)
_BASIS_START = re.compile(r"^(?P<verb>Căn cứ|Thực hiện)\b\s*(?:vào\s+)?", re.IGNORECASE)
_DOC_KINDS = (
    r"Thông tư liên tịch|Thông tư|Nghị định|Nghị quyết|Quyết định|Chỉ thị|Công văn|Văn bản|"
    r"Kế hoạch|Hướng dẫn|Công điện|Thông báo|Luật|Chương trình|Quy chế|Điều lệ|Đề án"
)
_BASIS_KIND = re.compile(rf"^(?P<kind>{_DOC_KINDS})\b", re.IGNORECASE)
_DOC_NUMBER = re.compile(
    rf"(?:\bsố\s*:?\s*)?(?P<number>\d+(?:\s*/\s*[^\W_]+(?:[.&]?[^\W_]+)*"
    rf"(?:\s*{D}\s*[^\W_&]+(?:&[^\W_]+)*)*)+)",
)
_NUMERIC_DATE = re.compile(r"(?:ngày\s*)?(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_WORDED_DATE = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})")
_ISSUER = re.compile(
    r"\bcủa\s+(?P<issuer>.+?)(?=\s+(?:về|V/v|v/v|hướng dẫn|quy định|ban hành|phê duyệt|"
    r"thực hiện|triển khai|tăng cường|sửa đổi|bổ sung|tiếp tục|về việc)\b|\s*[;,.]?\s*$)"
)
_BASIS_HAS_REFERENCE = re.compile(r"\d+\s*/|\bngày\s*\d|\bsố\b", re.IGNORECASE)
_PREAMBLE_TAIL = re.compile(
    r"^(?P<basis>.*?[.,;])\s*(?P<tail>[^.;]*?\b(?:xây dựng|ban hành|triển khai)\b[^;]*?"
    r"(?:sau|dưới đây)\s*:)\s*$"
)
_ROMAN = re.compile(r"^(?P<n>[IVX]{1,5})\s*[.):]\s*(?P<rest>.*)$")
_ARABIC = re.compile(rf"^(?:[{DASH}+•]\s*)?(?P<n>\d{{1,2}}(?:\.\d{{1,2}})*)\s*[.)]\s*(?P<rest>.*)$")
_POINT = re.compile(rf"^(?:[{DASH}+•]\s*)?(?P<n>[a-zđ])\s*\)\s*(?P<rest>.*)$")
_BULLET = re.compile(rf"^(?P<n>[{DASH}+•*])\s*(?P<rest>\S.*)$")
_RECIPIENTS = re.compile(r"^Nơi\s+nhận\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
_CLOSING = re.compile(r"^Trên\s+đây\s+là\b", re.IGNORECASE)
_SIGN_PREFIX = re.compile(r"^(?:KT|TM|TL|TUQ|Q)\s*\.\s*")
_SIGNER_TITLE = re.compile(
    r"^(?:(?:KT|TM|TL|TUQ|Q)\s*\.|(?:PHÓ\s+)?(?:HIỆU TRƯỞNG|GIÁM ĐỐC|TRƯỞNG PHÒNG|CHỦ TỊCH|"
    r"TRƯỞNG BAN|CHÁNH VĂN PHÒNG|THỦ TRƯỞNG)\b)"
)
_PROPER_NAME = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]*\.?\s+){1,5}[A-ZĐÀ-Ỹ][a-zđà-ỹ]+$")
_PERCENT = re.compile(
    r"(?:(?:ít nhất|tối thiểu|trên|dưới|khoảng)\s+)?(?:từ\s+)?\d+(?:[.,]\d+)?\s*%",
    re.IGNORECASE,
)
_COUNT = re.compile(
    r"(?:(?:ít nhất|tối thiểu)\s+)?(?:từ\s+)?\d+\s*(?:(?:đến|" + D + r")\s*\d+\s+)?"
    r"(?:cán bộ|người|buổi|lượt|chuyên đề|đợt|cuộc|lớp|tiết|bài)\b",
    re.IGNORECASE,
)
_TARGET_YEAR = re.compile(r"\b(?:đến|vào|trong|hết)\s+(?:cuối\s+|hết\s+)?năm\s+(\d{4})")
_SPAN = re.compile(
    rf"^(?:Từ\s+)?(?:năm\s+)?(?P<a>\d{{4}})\s*(?:{D}|đến(?:\s+năm)?)\s*(?P<b>\d{{4}})|"
    rf"^Giai\s+đoạn\s+(?P<c>\d{{4}})\s*{D}\s*(?P<d>\d{{4}})|^Năm\s+(?P<e>\d{{4}})\b",
    re.IGNORECASE,
)
_PERIODS = [
    re.compile(rf"giai\s+đoạn\s+(\d{{4}})\s*{D}\s*(\d{{4}})", re.IGNORECASE),
    re.compile(rf"năm\s+học\s+(\d{{4}})\s*{D}\s*(\d{{4}})", re.IGNORECASE),
    re.compile(r"năm\s+(\d{4})", re.IGNORECASE),
]
_HEADING_MAX = 160


def recognise(text: str) -> RecognisedPlan:
    """Everything the rules find in ``text`` (see the module docstring)."""
    lines = normalise(text)
    plan = RecognisedPlan()
    position = _header(lines, plan)
    position = _title(lines, position, plan)
    position = _bases(lines, position, plan)
    position = _body(lines, position, plan)
    _footer(lines[position:], plan)
    _period(plan)
    _indicators_and_milestones(plan)
    return plan


# --- Header ---------------------------------------------------------------------------


def _kind_of(line: str) -> str | None:
    for pattern, kind in KIND_WORDS:
        if pattern.match(line):
            return kind
    return None


def _header(lines: list[str], plan: RecognisedPlan) -> int:
    """Reads the lines above the kind word; returns the kind word's index."""
    kind_at = next(
        (i for i, line in enumerate(lines[:40]) if _kind_of(line) and is_upper_line(line[:12])),
        None,
    )
    if kind_at is None:
        # No kind word: the header ends where the bases or the parts begin.
        kind_at = next(
            (
                i
                for i, line in enumerate(lines[:40])
                if _BASIS_START.match(line) or _ROMAN.match(line) or _ARABIC.match(line)
            ),
            0,
        )
        head, start = lines[:kind_at], kind_at
    else:
        head, start = lines[:kind_at], kind_at
    cells: list[str] = []
    for line in head:
        cells += [cell.strip() for cell in line.split(CELL_SEPARATOR.strip()) if cell.strip()]
    # A date wrapped before its year ("… năm" / "2021").
    joined: list[str] = []
    for cell in cells:
        if joined and re.fullmatch(r"\d{4}", cell) and joined[-1].endswith("năm"):
            joined[-1] += " " + cell
        else:
            joined.append(cell)
    bodies: list[str] = []
    for cell in joined:
        cell = _MOTTO.sub("", cell).strip(f" {DASH}_")
        if not cell:
            continue
        number = _NUMBER_LINE.match(cell)
        if number:
            _number(number.group("number"), plan)
            cell = number.group("rest").strip()
            if not cell:
                continue
        date = _DATE_LINE.match(cell)
        if date:
            _date(date, cell, plan)
            continue
        if cell.startswith(("V/v", "v/v")):
            plan.kind = "official_letter"
            plan.title = cell[3:].strip(" :")
            continue
        if is_upper_line(cell):
            # "UBND TP X PHÒNG GIÁO DỤC …" on one line: split before the last body word.
            heads = [m.start() for m in _BODY_HEAD.finditer(cell) if m.start() > 0]
            if heads and not bodies:
                bodies += [cell[: heads[-1]].strip(), cell[heads[-1] :].strip()]
            elif bodies and not _BODY_HEAD.match(cell):
                bodies[-1] += " " + cell  # a body's name wrapped in its cell
            else:
                bodies.append(cell)
            continue
        plan.leftovers.append(cell)
    if len(bodies) == 1:
        # Parent and issuing body typed (or wrapped) as one: split before the last body word.
        heads = [m.start() for m in _BODY_HEAD.finditer(bodies[0]) if m.start() > 0]
        if heads:
            bodies = [bodies[0][: heads[-1]].strip(), bodies[0][heads[-1] :].strip()]
    if bodies:
        plan.issuing_body = bodies[-1]
        plan.parent_body = "\n".join(bodies[:-1])
    return start


def _number(raw: str, plan: RecognisedPlan) -> None:
    number = re.sub(r"\s+", "", raw).strip(".…_")
    prefix = number.split("/", 1)[0]
    plan.number_blank = not any(ch.isdigit() for ch in prefix)
    plan.document_number = "/" + number.split("/", 1)[1] if plan.number_blank else number


def _date(match: re.Match, cell: str, plan: RecognisedPlan) -> None:
    plan.issue_place = match.group("place").strip(" ,")
    plan.date_text = cell
    day, month, year = match.group("d"), match.group("m"), match.group("y")
    if day.isdigit() and month.isdigit() and year:
        try:
            plan.issue_date = datetime.date(int(year), int(month), int(day))
        except ValueError:
            plan.issue_date = None


# --- Title and legal bases ------------------------------------------------------------


def _is_basis(line: str) -> bool:
    return bool(_BASIS_START.match(line)) and bool(_BASIS_HAS_REFERENCE.search(line[:160]))


def _title(lines: list[str], position: int, plan: RecognisedPlan) -> int:
    """The kind word and the title lines after it; returns the index after them."""
    if position >= len(lines):
        return position
    kind = _kind_of(lines[position])
    if kind is None:
        return position
    plan.kind = kind
    first = re.sub(r"^\S+\s+\S+", "", lines[position], count=1).strip()
    title = [first] if first else []
    position += 1
    while position < len(lines) and len(title) < 4:
        line = lines[position]
        if (
            (title and (_is_basis(line) or line.endswith(":") or len(line) > 250))
            or _ROMAN.match(line)
            or _ARABIC.match(line)
            or _RECIPIENTS.match(line)
        ):
            break
        title.append(line)
        position += 1
    if title and not plan.title:
        plan.title = " ".join(title)
    elif title:
        plan.leftovers += title
    return position


def _bases(lines: list[str], position: int, plan: RecognisedPlan) -> int:
    """Legal bases and the preamble, up to the first numbered part."""
    preamble: list[str] = []
    while position < len(lines):
        line = lines[position]
        if _ROMAN.match(line) or _ARABIC.match(line) or _RECIPIENTS.match(line):
            break
        if _is_basis(line) and not preamble:
            for part in re.split(r"(?:;|\.)\s*(?=(?:Căn cứ|Thực hiện)\b)", line):
                tail = _PREAMBLE_TAIL.match(part)
                if tail:
                    part = tail.group("basis")
                    preamble.append(tail.group("tail").strip())
                plan.legal_bases.append(_basis(part.strip()))
        else:
            preamble.append(line)
        position += 1
    plan.preamble = "\n".join(preamble)
    return position


def _basis(source: str) -> LegalBasis:
    """One "Căn cứ …" reference: kind, number, date, issuer and what it is about."""
    start = _BASIS_START.match(source)
    basis = LegalBasis(verb=start.group("verb") if start else "", source=source)
    rest = source[start.end() :] if start else source
    kind = _BASIS_KIND.match(rest)
    if kind:
        basis.kind = kind.group("kind")
    number = _DOC_NUMBER.search(rest[:120])
    end = kind.end() if kind else 0
    if number and "/" in number.group("number"):
        basis.number = re.sub(rf"\s*{D}\s*", "-", re.sub(r"\s*/\s*", "/", number.group("number")))
        end = number.end()
    date = _WORDED_DATE.search(rest) or _NUMERIC_DATE.search(rest)
    if date:
        day, month, year = (int(value) for value in date.groups())
        try:
            basis.date = datetime.date(year, month, day)
        except ValueError:
            basis.date = None
        end = max(end, date.end())
    issuer = _ISSUER.search(rest, end)
    if issuer and issuer.start() - end < 20:
        basis.issuer = issuer.group("issuer").strip()
        end = issuer.end()
    basis.title = rest[end:].strip(" ;,.")
    if not basis.number and not date:
        basis.title = rest.strip(" ;,.")
    return basis


# --- Body -----------------------------------------------------------------------------


def _heading_and_text(rest: str) -> tuple[str, str]:
    """A numbered line's heading, or its text when it is a sentence rather than a title."""
    rest = rest.strip()
    if len(rest) <= _HEADING_MAX and not re.search(r"[.;]\s+\S", rest):
        return rest.rstrip(":").strip(), ""
    return "", rest


def _body(lines: list[str], position: int, plan: RecognisedPlan) -> int:
    """Sections, clauses and points, up to the closing or "Nơi nhận"; returns the index."""
    end = next((i for i in range(position, len(lines)) if _RECIPIENTS.match(lines[i])), len(lines))
    body = lines[position:end]
    has_roman = any(_ROMAN.match(line) for line in body)
    section: Section | None = None
    clause: Clause | None = None
    point: Point | None = None
    closing: list[str] = []

    def add_text(line: str) -> None:
        if point is not None:
            point.text += "\n" + line
        elif clause is not None:
            clause.text = f"{clause.text}\n{line}" if clause.text else line
        elif section is not None:
            section.text = f"{section.text}\n{line}" if section.text else line
        else:
            plan.preamble = f"{plan.preamble}\n{line}" if plan.preamble else line

    for line in body:
        if closing or _CLOSING.match(line):
            closing.append(line)
            continue
        roman = _ROMAN.match(line) if has_roman else None
        arabic = None if roman else _ARABIC.match(line)
        if roman:
            heading, text = _heading_and_text(roman.group("rest"))
            section = Section(number=roman.group("n") + ".", heading=heading or text, text="")
            plan.sections.append(section)
            clause = point = None
        elif arabic and not has_roman and "." not in arabic.group("n"):
            heading, text = _heading_and_text(arabic.group("rest"))
            section = Section(number=arabic.group("n") + ".", heading=heading or text)
            plan.sections.append(section)
            clause = point = None
        elif arabic:
            if section is None:
                section = Section(number="", heading="")
                plan.sections.append(section)
            heading, text = _heading_and_text(arabic.group("rest"))
            clause = Clause(number=arabic.group("n") + ".", heading=heading, text=text)
            section.clauses.append(clause)
            point = None
        elif (match := _POINT.match(line) or _BULLET.match(line)) and (
            clause is not None or section is not None
        ):
            number = match.group("n") + ")" if _POINT.match(line) else ""
            if number == "" and point is not None and point.number:
                # A bullet under a lettered point belongs to it ("a) Từ năm 2021 …" / "- …").
                point.text += "\n- " + match.group("rest")
                continue
            if clause is None:
                clause = Clause(number="")
                section.clauses.append(clause)
            point = Point(number=number, text=match.group("rest"))
            clause.points.append(point)
        else:
            add_text(line)
    plan.closing = "\n".join(closing)
    return end


# --- Footer ---------------------------------------------------------------------------


def _split_authority(line: str) -> list[str]:
    """ "KT. TRƯỞNG PHÒNG PHÓ TRƯỞNG PHÒNG" → the two lines it is printed as."""
    prefix = _SIGN_PREFIX.match(line)
    if not prefix:
        return [line]
    found = re.search(r"\s(PHÓ\s)", line[prefix.end() :])
    if not found:
        candidates = [
            m.start()
            for m in re.finditer(
                r"\s(?=CHỦ TỊCH|HIỆU TRƯỞNG|GIÁM ĐỐC|CHÁNH|TRƯỞNG PHÒNG|TRƯỞNG BAN)",
                line[prefix.end() :],
            )
        ]
        if not candidates:
            return [line]
        cut = prefix.end() + candidates[-1]
    else:
        cut = prefix.end() + found.start()
    return [line[:cut].strip(), line[cut:].strip()]


def _footer(lines: list[str], plan: RecognisedPlan) -> None:
    """ "Nơi nhận:" with its lines, and the signer's block beside or after it."""
    cells: list[str] = []
    for line in lines:
        cells += [cell.strip() for cell in line.split(CELL_SEPARATOR.strip()) if cell.strip()]
    authority: list[str] = []
    names: list[str] = []
    in_recipients = False
    cells_ended: list[bool] = [False]  # whether the last recipient line ended with ";"
    for cell in cells:
        header = _RECIPIENTS.match(cell)
        if header:
            in_recipients = True
            cell = header.group("rest").strip()
            if not cell:
                continue
            for part in re.split(r"(?<=;)\s*(?=-)", cell):
                plan.recipients.append(part.lstrip(f"{DASH} ").strip().rstrip(";"))
            continue
        if in_recipients and (bullet := _BULLET.match(cell)):
            cells_ended.append(cell.rstrip().endswith(";"))
            plan.recipients.append(bullet.group("rest").strip().rstrip(";"))
            continue
        if (
            in_recipients
            and plan.recipients
            and not plan.recipients[-1].endswith(".")
            and not cells_ended[-1]
            and not _SIGNER_TITLE.match(cell)
        ):
            plan.recipients[-1] += " " + cell.rstrip(";")  # a recipient wrapped in its cell
            cells_ended[-1] = cell.endswith(";")
            continue
        cells_ended[-1] = True  # the signer's block: no recipient continues past it
        if is_upper_line(cell) and not names:
            authority += _split_authority(cell)
        elif _PROPER_NAME.match(cell):
            names.append(cell)
        else:
            plan.leftovers.append(cell)
    plan.signer_authority = "\n".join(authority)
    if names:
        plan.signer_name = names[-1]
        plan.leftovers += names[:-1]


# --- Period, indicators, milestones ---------------------------------------------------


def _period(plan: RecognisedPlan) -> None:
    """The period from the title first, then the preamble."""
    for text in (plan.title, plan.preamble):
        for pattern in _PERIODS:
            found = pattern.search(text)
            if found:
                plan.period_label = found.group(0)
                years = [int(value) for value in found.groups()]
                plan.period_start_year, plan.period_end_year = years[0], years[-1]
                return


def _span(text: str) -> tuple[str, int] | None:
    """A year or span opening ``text``: ("2021–2025", 2025), or None."""
    found = _SPAN.match(text.strip())
    if not found:
        return None
    if found.group("e"):
        return found.group("e"), int(found.group("e"))
    first, last = found.group("a", "b") if found.group("a") else found.group("c", "d")
    return f"{first}–{last}", int(last)


def _targets(line: str) -> list[str]:
    found = [(m.start(), m.group(0)) for m in _PERCENT.finditer(line)]
    found += [(m.start(), m.group(0)) for m in _COUNT.finditer(line)]
    return [text for _start, text in sorted(found)]


def _indicators_and_milestones(plan: RecognisedPlan) -> None:
    """Targets with a number and unit; lộ trình items by year or span.

    Indicators are looked for under headings about targets ("mục tiêu", "chỉ
    tiêu") when the plan has such headings, else anywhere.
    """
    clauses = [clause for section in plan.sections for clause in section.clauses]
    scoped = [
        clause
        for section in plan.sections
        for clause in section.clauses
        if re.search(r"mục tiêu|chỉ tiêu", f"{section.heading} {clause.heading}", re.IGNORECASE)
        and re.search(r"cụ thể|chỉ tiêu", f"{section.heading} {clause.heading}", re.IGNORECASE)
    ] or clauses
    for clause in clauses:
        items: list[tuple[str, tuple[str, int] | None]] = []
        for point in clause.points:
            head, _newline, rest = point.text.partition("\n")
            span = _span(head)
            if span and rest:
                activities = "\n".join(
                    line.lstrip(f"{DASH} ").strip() for line in rest.splitlines() if line.strip()
                )
                plan.milestones.append(Milestone(year=span[0], activities=activities))
            elif span:
                tail = _SPAN.sub("", head.strip(), count=1).lstrip(" ,:")
                if tail:
                    plan.milestones.append(Milestone(year=span[0], activities=tail))
            if not span:
                for line in point.text.splitlines()[1:]:
                    inner = _span(line.lstrip(f"{DASH} "))
                    tail = _SPAN.sub("", line.lstrip(f"{DASH} "), count=1).lstrip(" ,:")
                    if inner and tail:
                        plan.milestones.append(Milestone(year=inner[0], activities=tail))
            for line in point.text.splitlines() if span else [point.text]:
                items.append((line, span))
        if clause in scoped:
            for text in [*clause.text.splitlines(), *(t for t, _s in items)]:
                if text in clause.text.splitlines():
                    span = None
                else:
                    span = next((s for t, s in items if t == text), None)
                line = text.lstrip(f"{DASH} ").strip()
                if CELL_SEPARATOR in line:  # a table row: the longest cell says what it is
                    cells = [cell.strip() for cell in line.split(CELL_SEPARATOR.strip())]
                    described = max(cells, key=len)
                    for target in _targets(line):
                        plan.indicators.append(Indicator(described, target.strip(), None))
                    continue
                for target in _targets(line):
                    year = _TARGET_YEAR.search(line)
                    plan.indicators.append(
                        Indicator(
                            description=line,
                            target=target,
                            year=span[1] if span else (int(year.group(1)) if year else None),
                        )
                    )
