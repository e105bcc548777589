"""Timing the plan importer on a 40-page plan (``bench/run.py --measure-plan-import``).

The target is an editor's: importing a long plan (a district's five-year plan runs to
40 pages) takes under 5 s. What is timed is what the upload screen and
``import_plans`` do with a file: read its text (``extract.text_of``), recognise the
plan (``recognise.recognise``) and save the draft (``drafts.create_draft``, with the
original attached), for the same plan as a Word file and as a PDF. The plan is made
here, not read from the seed files, so the bench needs nothing outside the checkout;
its shape is a real plan's (header table, bases, sections I–X with numbered clauses
and lettered points, indicators, recipients beside the signer) at a real length.
The runner gives this a fresh database of its own, so the drafts it makes land
nowhere else.
"""

from __future__ import annotations

import html
import io
import statistics
import time
from pathlib import Path
from typing import Any

RUNS = 5
# Eleven sections of six clauses of this text make 40 A4 pages at 13 pt, as offices type.
SECTIONS = 11
CLAUSES = 6

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h"]
HEADINGS = [
    "MỤC ĐÍCH, YÊU CẦU",
    "CHỈ TIÊU CỤ THỂ",
    "NHIỆM VỤ VÀ GIẢI PHÁP",
    "CÔNG TÁC RÀ SOÁT, PHÁT HIỆN NGUY CƠ",
    "CÔNG TÁC PHÒNG NGỪA",
    "CAN THIỆP, TRỢ GIÚP NGƯỜI HỌC",
    "PHỐI HỢP VỚI GIA ĐÌNH VÀ CỘNG ĐỒNG",
    "BỒI DƯỠNG ĐỘI NGŨ",
    "KINH PHÍ THỰC HIỆN",
    "TỔ CHỨC THỰC HIỆN",
    "CHẾ ĐỘ BÁO CÁO",
    "LỘ TRÌNH THỰC HIỆN",
]
CLAUSE_HEADINGS = [
    "Công tác chỉ đạo, điều hành",
    "Tuyên truyền, nâng cao nhận thức",
    "Tư vấn tâm lý cho học sinh",
    "Hỗ trợ học sinh có hoàn cảnh đặc biệt",
    "Phòng, chống bạo lực học đường",
    "Kết nối nguồn lực xã hội",
    "Kiểm tra, giám sát",
    "Sơ kết, tổng kết",
]
SENTENCES = [
    "Rà soát, nắm bắt thông tin, tâm tư, nguyện vọng, hoàn cảnh gia đình và các hiện tượng "
    "bất thường của người học; chủ động phát hiện người học có nguy cơ bỏ học, bị xâm hại, "
    "bị bạo lực hoặc vi phạm pháp luật.",
    "Thiết lập hệ thống tiếp nhận thông tin của trường như hòm thư góp ý, đường dây nóng "
    "hoặc các hình thức sử dụng công nghệ thông tin để tiếp nhận các vụ việc có nguy cơ gây "
    "tổn hại đến người học.",
    "Tuyên truyền, phổ biến, cảnh báo và hướng dẫn người học về các tình huống, nguy cơ rơi "
    "vào hoàn cảnh đặc biệt, bị xâm hại, bị bạo lực, bỏ học, vi phạm pháp luật và cách phòng "
    "tránh.",
    "Phối hợp với gia đình, chính quyền địa phương và các đơn vị cung cấp dịch vụ công tác xã "
    "hội tại cộng đồng thực hiện việc can thiệp, trợ giúp đối với người học cần trợ giúp khẩn "
    "cấp.",
    "Tổ chức các hoạt động hỗ trợ phát triển, hòa nhập cộng đồng cho người học sau can thiệp "
    "hoặc người học, giáo viên, cha mẹ học sinh có nhu cầu hỗ trợ.",
    "Bồi dưỡng kiến thức, kỹ năng về công tác xã hội cho cán bộ quản lý, giáo viên, nhân viên "
    "được phân công làm đầu mối tham mưu triển khai công tác xã hội trong trường học.",
    "Giữ bí mật các thông tin cá nhân của người học; trường hợp chia sẻ thông tin phải thực "
    "hiện theo quy định của pháp luật và vì lợi ích tốt nhất của người học.",
    "Lồng ghép nội dung giáo dục kỹ năng sống, giáo dục giới tính, sức khỏe sinh sản vị "
    "thành niên vào các môn học và hoạt động trải nghiệm, hướng nghiệp.",
]


def plan_text(sections: int = SECTIONS, clauses: int = CLAUSES) -> str:
    """A plan of a district school's social work over five years, ``sections`` long."""
    lines = [
        "UBND HUYỆN HÒA BÌNH",
        "TRƯỜNG THCS HÒA BÌNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 45/KH-THCS",
        "Hòa Bình, ngày 15 tháng 9 năm 2025",
        "KẾ HOẠCH",
        "Thực hiện công tác xã hội trong trường học giai đoạn 2025-2030",
        "Căn cứ Thông tư số 33/2018/TT-BGDĐT ngày 26/12/2018 của Bộ Giáo dục và Đào tạo "
        "hướng dẫn công tác xã hội trong trường học;",
        "Căn cứ Quyết định số 1438/QĐ-TTg ngày 29/10/2021 của Thủ tướng Chính phủ phê duyệt "
        "Chương trình phát triển công tác xã hội giai đoạn 2021-2030;",
        "Thực hiện Công văn số 619/PGDĐT-THCS ngày 05/9/2025 của Phòng Giáo dục và Đào tạo "
        "về việc triển khai công tác xã hội trường học năm học 2025-2026;",
        "Trường THCS Hòa Bình xây dựng kế hoạch thực hiện như sau:",
    ]
    n = 0
    for s in range(sections):
        lines.append(f"{ROMAN[s]}. {HEADINGS[s % len(HEADINGS)]}")
        for c in range(clauses):
            lines.append(f"{c + 1}. {CLAUSE_HEADINGS[(s + c) % len(CLAUSE_HEADINGS)]}")
            for _p in range(2):
                lines.append(" ".join(SENTENCES[(n + k) % len(SENTENCES)] for k in range(2)))
                n += 1
            for p, letter in enumerate(LETTERS[:3]):
                lines.append(f"{letter}) {SENTENCES[(n + p) % len(SENTENCES)]}")
            lines.append(
                f"- Phấn đấu {80 + (s + c) % 20}% học sinh được tư vấn, hỗ trợ kịp thời "
                f"đến năm {2026 + c % 5}."
            )
    lines += [
        "Trên đây là Kế hoạch thực hiện công tác xã hội trong trường học giai đoạn 2025-2030 "
        "của Trường THCS Hòa Bình./.",
        "Nơi nhận:",
        "- Phòng GD&ĐT (để b/c);",
        "- Ban giám hiệu;",
        "- Các tổ chuyên môn;",
        "- Lưu: VT.",
        "HIỆU TRƯỞNG",
        "Nguyễn Văn An",
    ]
    return "\n".join(lines)


def _header_and_body(text: str) -> tuple[list[str], list[str], list[str]]:
    lines = text.splitlines()
    head, body = lines[:6], lines[6:]
    footer_at = body.index("Nơi nhận:")
    return head, body[:footer_at], body[footer_at:]


def docx_of(text: str) -> bytes:
    """The plan as an office types it in Word: header and footer in two-column tables."""
    import docx

    head, body, footer = _header_and_body(text)
    document = docx.Document()

    def table(left: list[str], right: list[str]) -> None:
        cells = document.add_table(rows=1, cols=2).rows[0].cells
        for cell, lines in ((cells[0], left), (cells[1], right)):
            cell.paragraphs[0].add_run(lines[0])
            for line in lines[1:]:
                cell.add_paragraph(line)

    table([head[0], head[1], head[4]], [head[2], head[3], head[5]])
    for line in body:
        document.add_paragraph(line)
    table(footer[:-2], footer[-2:])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_of(text: str) -> bytes:
    """The same plan printed to PDF (A4, 13 pt, as Nghị định 30/2020 sets it)."""
    from weasyprint import HTML

    # The project's own font, so every Vietnamese letter has a glyph in the text layer.
    font = (Path(__file__).resolve().parent.parent / "site/static/fonts/DejaVuSerif.ttf").as_uri()
    head, body, footer = _header_and_body(text)

    def cell(lines: list[str]) -> str:
        return "<td>" + "<br>".join(html.escape(line) for line in lines) + "</td>"

    page = (
        "<html><head><meta charset='utf-8'><style>"
        "@page { size: A4; margin: 20mm 15mm 20mm 30mm }"
        f"@font-face {{ font-family: 'Plan Serif'; src: url('{font}') }}"
        "body { font: 13pt 'Plan Serif', serif; line-height: 1.3 } "
        "td { vertical-align: top; width: 50% } p { margin: 0 0 6pt }"
        "</style></head><body>"
        f"<table><tr>{cell([head[0], head[1], head[4]])}{cell([head[2], head[3], head[5]])}"
        "</tr></table>"
        + "".join(f"<p>{html.escape(line)}</p>" for line in body)
        + f"<table><tr>{cell(footer[:-2])}{cell(footer[-2:])}</tr></table>"
        "</body></html>"
    )
    return HTML(string=page).write_pdf()


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def plan_index():
    """A school's plan index in the (empty, migrated) database the runner made."""
    from wagtail.models import Site

    from pages.models import HomePage, PlanIndexPage

    root = Site.objects.get(is_default_site=True).root_page
    home = root.add_child(instance=HomePage(title="Trường THCS Hòa Bình", slug="truong-bench"))
    return home.add_child(instance=PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))


def import_once(name: str, data: bytes, parent: Any) -> tuple[float, float, float, float, Any]:
    """One import as the screens do it: seconds to read, to recognise, to save; the CPU
    seconds of the whole (SQLite runs in this process: the work itself, whatever else
    the machine does); the plan."""
    from django.db import transaction

    from plan_import.drafts import create_draft
    from plan_import.extract import text_of
    from plan_import.recognise import recognise

    started, used = time.perf_counter(), time.process_time()
    read = text_of(name, data)
    extracted = time.perf_counter()
    plan = recognise(read)
    recognised = time.perf_counter()
    with transaction.atomic():
        create_draft(plan, parent, user=None, original=(name, data))
    saved, cpu = time.perf_counter(), time.process_time() - used
    return extracted - started, recognised - extracted, saved - recognised, cpu, plan


def measure(runs: int = RUNS, sections: int = SECTIONS) -> dict[str, Any]:
    """Time extract + recognise + create_draft for the plan as .docx and .pdf.

    Each format is imported once to warm the process (imports, caches), then ``runs``
    times, each making a draft of its own; p50 and max of the whole import, and the
    p50 of each step, in milliseconds.
    """
    from pages.models import PlanPage

    text = plan_text(sections)
    parent = plan_index()
    files = {"docx": docx_of(text), "pdf": pdf_of(text)}
    pages = pdf_pages(files["pdf"])
    results: dict[str, Any] = {}
    for fmt, data in files.items():
        name = f"ke-hoach-40-trang.{fmt}"
        import_once(name, data, parent)
        steps = [import_once(name, data, parent) for _n in range(runs)]
        totals = [sum(step[:3]) for step in steps]
        plan = steps[-1][4]
        results[fmt] = {
            "runs": runs,
            "p50_ms": statistics.median(totals) * 1000,
            "max_ms": max(totals) * 1000,
            "extract_p50_ms": statistics.median(s[0] for s in steps) * 1000,
            "recognise_p50_ms": statistics.median(s[1] for s in steps) * 1000,
            "draft_p50_ms": statistics.median(s[2] for s in steps) * 1000,
            "cpu_p50_ms": statistics.median(s[3] for s in steps) * 1000,
            "cpu_max_ms": max(s[3] for s in steps) * 1000,
            "bytes": len(data),
            "pdf_pages": pages,
            "characters": len(text),
            "sections": len(plan.sections),
            "clauses": sum(len(section.clauses) for section in plan.sections),
            "leftovers": len(plan.leftovers),
        }
    results["drafts"] = PlanPage.objects.filter(live=False).count()
    return results
