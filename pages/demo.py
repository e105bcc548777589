"""Fictitious demo content for each demo school: plans, campaigns, materials, hotlines.

Every text here was written for this project; names, numbers and addresses are
invented. ``build_school_content`` is idempotent: pages are found by slug under
their parent, snippets by natural keys, so running it again changes nothing.
"""

import datetime
import io
import zlib
from functools import cache
from pathlib import Path

from anyascii import anyascii
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from PIL import Image, ImageDraw
from wagtail.models import Orderable, Page

from pages.models import (
    Audience,
    CampaignIndexPage,
    CampaignMaterial,
    CampaignPage,
    DocumentKind,
    Hotline,
    HotlineNoticePage,
    MaterialFile,
    MaterialFormat,
    MaterialIndexPage,
    MaterialPage,
    PlanAttachment,
    PlanIndexPage,
    PlanIndicator,
    PlanLegalBasis,
    PlanMilestone,
    PlanPage,
    PlanResponsibility,
    SiteDocument,
    SiteImage,
    StandardPage,
    Topic,
)
from schools.models import School

# The font the case area's PDFs use too: bundled, so every server draws the same letters.
DEMO_FONT = "fonts/DejaVuSerif.ttf"


@cache
def _demo_pdf(lines: tuple[str, ...]) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font = Path(finders.find(DEMO_FONT))
    fonts = FontConfiguration()
    css = CSS(
        string=(
            f"@font-face {{ font-family: Demo; src: url({font.as_uri()!r}); }}"
            "@page { size: A4; margin: 2cm; }"
            "body { font-family: Demo; font-size: 14pt; line-height: 1.4; }"
            "h1 { font-size: 20pt; }"
        ),
        font_config=fonts,
    )
    heading, *rest = lines
    html = format_html(
        '<html lang="vi"><body><h1>{}</h1>{}</body></html>',
        heading,
        format_html_join("", "<p>{}</p>", ((line,) for line in rest)),
    )
    return HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts)


def demo_pdf(lines: list[str]) -> bytes:
    """A one-page A4 PDF of ``lines`` (the first as its heading), with its diacritics.

    Drawn by WeasyPrint with the bundled DejaVu font, embedded as a subset, so a
    demo leaflet reads "Nói không với bạo lực học đường", not an ASCII spelling,
    for a few kilobytes. Kept per process: the tests load the demo many times.
    """
    return _demo_pdf(tuple(lines))


def minimal_pdf(lines: list[str]) -> bytes:
    """A tiny valid PDF of ``lines``, transliterated to ASCII for Helvetica.

    For tests that need many files quickly; the demo's own documents use ``demo_pdf``.
    """
    lines = [anyascii(line) for line in lines]
    text = (
        "BT /F1 14 Tf 56 780 Td 18 TL "
        + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
            for line in lines
        )
        + " ET"
    )
    stream = zlib.compress(text.encode("ascii"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def demo_png(colour: tuple[int, int, int], accent: tuple[int, int, int]) -> bytes:
    """A simple illustrative 1200×675 picture: coloured sky, hills and a sun."""
    image = Image.new("RGB", (1200, 675), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((860, 80, 1040, 260), fill=(255, 214, 102))
    draw.polygon(
        [(0, 675), (0, 420), (320, 300), (640, 460), (1200, 330), (1200, 675)], fill=accent
    )
    draw.rectangle((520, 470, 680, 600), fill=(250, 250, 250))
    draw.polygon([(500, 470), (600, 400), (700, 470)], fill=(190, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _child(parent: Page, model: type[Page], slug: str, **fields) -> Page:
    """The published child at ``slug``, made if missing.

    A page found by its title under an older slug of the demo is moved to ``slug``,
    so loading the demo again into an older database leaves no duplicate behind.
    """
    children = parent.get_children()
    existing = children.filter(slug=slug).specific().first()
    if existing is None and "title" in fields:
        existing = children.filter(title=fields["title"]).specific().first()
        if existing is not None:
            existing.slug = slug
            existing.save_revision().publish()
    if existing is not None:
        return existing
    page = parent.add_child(instance=model(slug=slug, **fields))
    page.save_revision().publish()
    return page


def _plan(index: Page, slug: str, school: School, **fields) -> PlanPage:
    """A document ``school`` issued from its (fictitious) commune."""
    return _child(
        index,
        PlanPage,
        slug,
        issuing_body=_short_name(school),
        issue_place="Thử Nghiệm",
        **fields,
    )


def _ordered(model: type[Orderable], page: Page, rows: list[dict]) -> None:
    """Add ``rows`` to one of ``page``'s inline lists, ordered as given."""
    model.objects.bulk_create(model(page=page, sort_order=i, **row) for i, row in enumerate(rows))


def _short_name(school: School) -> str:
    """The school's name without the "(trường minh họa)" every demo school carries."""
    return school.name.split(" (")[0]


def _document(title: str, filename: str, lines: list[str], collection) -> SiteDocument:
    document = SiteDocument.objects.filter(title=title, collection=collection).first()
    if document is None:
        document = SiteDocument(title=title, collection=collection)
        document.file.save(filename, ContentFile(demo_pdf(lines)), save=False)
        document.save()
    return document


def _image(title: str, filename: str, colour, accent, collection, alt: str) -> SiteImage:
    image = SiteImage.objects.filter(title=title, collection=collection).first()
    if image is None:
        image = SiteImage(
            title=title,
            collection=collection,
            alt_text=alt,
            file=ImageFile(io.BytesIO(demo_png(colour, accent)), name=filename),
        )
        image.save()
    return image


def _section(number: str, heading: str, text: str, clauses: list[tuple[str, str, list[str]]]):
    return (
        "section",
        {
            "number": number,
            "heading": heading,
            "text": f"<p>{text}</p>" if text else "",
            "clauses": [
                {
                    "number": n,
                    "heading": h,
                    "text": "",
                    "points": [
                        {"number": f"{chr(97 + i)})", "text": f"<p>{p}</p>"}
                        for i, p in enumerate(points)
                    ],
                }
                for n, h, points in clauses
            ],
        },
    )


def build_school_content(school: School, today: datetime.date | None = None) -> None:
    """Give ``school`` a browsable public section: about, hotlines, plans, campaigns, materials."""
    today = today or timezone.localdate()
    home = school.root_page.specific
    collection = school.collection
    topics = {t.slug: t for t in Topic.objects.all()}
    audiences = {a.code: a for a in Audience.objects.all()}
    short = _short_name(school)

    if not home.how_to_get_help:
        home.how_to_get_help = (
            "<p>Phòng tư vấn ở tầng 1, cạnh thư viện, mở cửa giờ ra chơi từ thứ Hai đến thứ Sáu. "
            "Em có thể gặp trực tiếp, bỏ thư vào hòm thư “Điều em muốn nói” hoặc nhờ thầy cô "
            "chủ nhiệm. Mọi điều em chia sẻ đều được giữ bí mật.</p>"
        )
        home.counselling_contact = (
            "<p>Tổ tư vấn học đường: cô Trần Thị Minh Họa (giáo viên, người làm công tác xã hội) "
            "và thầy Lê Văn Giả Định (Tổng phụ trách Đội). Tên chỉ là ví dụ.</p>"
        )
        home.save_revision().publish()

    Hotline.objects.get_or_create(
        number=school.hotline,
        scope=Hotline.Scope.SCHOOL,
        school=school,
        defaults={
            "name": f"Phòng tư vấn {short}",
            "purpose": "Lắng nghe, tư vấn cho học sinh và cha mẹ học sinh",
            "hours": "7:00–17:00, thứ Hai–thứ Sáu",
            "is_free": False,
            "sort_order": 50,
        },
    )

    _child(
        home,
        StandardPage,
        "to-tu-van",
        title="Tổ tư vấn học đường",
        show_in_menus=True,
        intro="Ai làm công tác tư vấn, xã hội trong trường và các em có thể tìm gặp ở đâu.",
        body=[
            (
                "paragraph",
                "<p>Tổ tư vấn gồm đại diện Ban giám hiệu, giáo viên chủ nhiệm, Tổng phụ trách "
                "Đội, nhân viên y tế và đại diện cha mẹ học sinh. Tổ lắng nghe, hỗ trợ các em "
                "khi gặp khó khăn trong học tập, tình bạn, gia đình hay cảm xúc.</p>",
            ),
            ("call_to_action", {"heading": "Cần giúp đỡ ngay?", "text": "", "number": "111"}),
        ],
    )
    _child(
        home,
        HotlineNoticePage,
        "duong-day-nong",
        title="Đường dây nóng",
        show_in_menus=True,
        intro="Các số điện thoại em, cha mẹ và thầy cô có thể gọi khi cần giúp đỡ.",
    )

    plan_index = _child(
        home,
        PlanIndexPage,
        "ke-hoach",
        title="Kế hoạch và văn bản",
        show_in_menus=True,
        intro="Kế hoạch, báo cáo và hướng dẫn của nhà trường về công tác xã hội, tư vấn học đường.",
    )
    signed = _document(
        f"Kế hoạch CTXH năm học 2025–2026 ({school.code}) — bản ký",
        f"ke-hoach-ctxh-2025-2026-{school.code.lower()}.pdf",
        ["Kế hoạch công tác xã hội năm học 2025–2026", f"{short} (ví dụ minh họa)", "Bản ký"],
        collection,
    )
    yearly = _plan(
        plan_index,
        "ke-hoach-cong-tac-xa-hoi-nam-hoc-2025-2026",
        school,
        title="Kế hoạch công tác xã hội trong trường học năm học 2025–2026",
        document_number=f"12/KH-{school.code}",
        kind=DocumentKind.PLAN,
        issue_date=datetime.date(2025, 9, 20),
        summary="Triển khai công tác xã hội và tư vấn học đường trong năm học 2025–2026.",
        period_label="năm học 2025–2026",
        period_start_year=2025,
        period_end_year=2026,
        recipients="Phòng GD&ĐT huyện Thử Nghiệm (để báo cáo)\nCác tổ chuyên môn\nLưu: VT",
        signer_authority="HIỆU TRƯỞNG",
        signer_name="Nguyễn Văn Minh Họa",
        body=[
            _section(
                "I.",
                "MỤC ĐÍCH, YÊU CẦU",
                "Mỗi học sinh được an toàn, được lắng nghe và được hỗ trợ kịp thời.",
                [
                    (
                        "1.",
                        "Mục đích",
                        [
                            "Phát hiện sớm học sinh có nguy cơ bị bạo lực, xâm hại, bỏ học.",
                            "Giúp cha mẹ học sinh đồng hành cùng con.",
                        ],
                    ),
                    ("2.", "Yêu cầu", ["Giữ bí mật thông tin cá nhân của học sinh."]),
                ],
            ),
            _section(
                "II.",
                "NỘI DUNG",
                "",
                [
                    (
                        "1.",
                        "Tuyên truyền",
                        [
                            "Mỗi học kỳ có ít nhất một chuyên đề phòng chống bạo lực học đường.",
                            "Niêm yết số 111 và đường dây nóng của trường ở cổng trường.",
                        ],
                    ),
                    ("2.", "Tư vấn, hỗ trợ", ["Phòng tư vấn mở cửa các ngày trong tuần."]),
                ],
            ),
            _section(
                "III.", "TỔ CHỨC THỰC HIỆN", "Các bộ phận thực hiện theo phân công dưới đây.", []
            ),
        ],
    )
    if not yearly.topics.exists():
        yearly.topics.set([topics["dich-vu-cong-tac-xa-hoi"], topics["bao-luc-hoc-duong"]])
        _ordered(
            PlanLegalBasis,
            yearly,
            [
                {
                    "number": "33/2018/TT-BGDĐT",
                    "date": datetime.date(2018, 12, 26),
                    "issuer": "Bộ Giáo dục và Đào tạo",
                    "title": "Hướng dẫn công tác xã hội trong trường học",
                },
                {
                    "number": "18/2025/TT-BGDĐT",
                    "date": datetime.date(2025, 9, 15),
                    "issuer": "Bộ Giáo dục và Đào tạo",
                    "title": "Tư vấn học đường và công tác xã hội trong trường học",
                },
            ],
        )
        _ordered(
            PlanIndicator,
            yearly,
            [
                {"description": description, "target": target, "year": 2026}
                for description, target in [
                    ("Học sinh được tham gia chuyên đề kỹ năng sống", "100%"),
                    ("Buổi tư vấn nhóm cho cha mẹ học sinh", "4 buổi"),
                    ("Vụ việc được tiếp nhận và xử lý đúng thời hạn", "100%"),
                ]
            ],
        )
        _ordered(
            PlanMilestone,
            yearly,
            [
                {
                    "year": "Học kỳ I",
                    "activities": "Kiện toàn tổ tư vấn; khảo sát nhu cầu học sinh.",
                },
                {
                    "year": "Học kỳ II",
                    "activities": "Tháng hành động phòng chống bạo lực học đường; sơ kết.",
                },
            ],
        )
        _ordered(
            PlanResponsibility,
            yearly,
            [
                {
                    "unit": "Ban giám hiệu",
                    "duties": "Chỉ đạo chung, phê duyệt kế hoạch hỗ trợ học sinh.",
                },
                {
                    "unit": "Tổ tư vấn",
                    "duties": "Tiếp nhận, đánh giá, hỗ trợ học sinh; lưu hồ sơ bảo mật.",
                },
                {"unit": "Liên đội", "duties": "Tổ chức hoạt động tuyên truyền theo chủ điểm."},
            ],
        )
        PlanAttachment.objects.create(page=yearly, document=signed, is_signed_original=True)
        yearly.save_revision().publish()

    later = _plan(
        plan_index,
        "ke-hoach-tu-van-hoc-duong-2026-2030",
        school,
        title="Kế hoạch tư vấn học đường giai đoạn 2026–2030",
        document_number=f"3/KH-{school.code}",
        kind=DocumentKind.PLAN,
        issue_date=datetime.date(2026, 1, 10),
        summary="Định hướng tư vấn tâm lý, hướng nghiệp và kỹ năng sống cho học sinh đến năm 2030.",
        period_label="giai đoạn 2026–2030",
        period_start_year=2026,
        period_end_year=2030,
        signer_authority="HIỆU TRƯỞNG",
        signer_name="Nguyễn Văn Minh Họa",
        body=[_section("I.", "MỤC TIÊU", "Mỗi học sinh có người để tìm đến khi cần.", [])],
    )
    report = _plan(
        plan_index,
        "bao-cao-so-ket-hoc-ky-i-2025-2026",
        school,
        title="Báo cáo sơ kết công tác xã hội học kỳ I năm học 2025–2026",
        document_number=f"25/BC-{school.code}",
        kind=DocumentKind.REPORT,
        issue_date=datetime.date(2026, 1, 15),
        summary="Kết quả thực hiện kế hoạch công tác xã hội trong học kỳ I (số liệu minh họa).",
        period_label="học kỳ I năm học 2025–2026",
        period_start_year=2025,
        period_end_year=2026,
    )
    for citing in (later, report):
        if not citing.legal_bases.exists():
            PlanLegalBasis.objects.create(page=citing, cited_page=yearly, sort_order=0)
            citing.topics.set(
                [topics["tam-ly"], topics["huong-nghiep"]]
                if citing is later
                else [topics["dich-vu-cong-tac-xa-hoi"]]
            )
            citing.save_revision().publish()

    materials = _child(
        home,
        MaterialIndexPage,
        "tai-lieu",
        title="Tài liệu tuyên truyền",
        show_in_menus=True,
        intro="Tờ rơi, áp phích và bài giảng để dùng trong lớp và ở nhà.",
    )
    leaflet_file = _document(
        f"Tờ rơi: Nói không với bạo lực học đường ({school.code})",
        f"to-roi-bao-luc-hoc-duong-{school.code.lower()}.pdf",
        [
            "Tờ rơi: Nói không với bạo lực học đường",
            "Khi thấy bạn bị bắt nạt, em hãy nói với thầy cô hoặc cha mẹ.",
            "Gọi 111 – miễn phí, cả ngày lẫn đêm.",
        ],
        collection,
    )
    picture = _image(
        f"Minh họa: sân trường an toàn ({school.code})",
        f"san-truong-{school.code.lower()}.png",
        (120, 185, 235),
        (70, 150, 90),
        collection,
        "Tranh vẽ minh họa ngôi trường nhỏ giữa đồi xanh",
    )
    leaflet = _child(
        materials,
        MaterialPage,
        "to-roi-noi-khong-voi-bao-luc-hoc-duong",
        title="Tờ rơi: Nói không với bạo lực học đường",
        format=MaterialFormat.LEAFLET,
        intro="Năm việc em có thể làm khi thấy bạn bị bắt nạt.",
        image=picture,
        body=[
            (
                "paragraph",
                "<ol><li>Không đứng xem, không quay video.</li><li>Rủ bạn rời khỏi chỗ đó.</li>"
                "<li>Báo ngay thầy cô.</li><li>Hỏi han bạn sau đó.</li>"
                "<li>Gọi 111 khi cần.</li></ol>",
            )
        ],
    )
    if not leaflet.files.exists():
        MaterialFile.objects.create(page=leaflet, document=leaflet_file)
        leaflet.topics.set([topics["bao-luc-hoc-duong"]])
        leaflet.audiences.set([audiences["hoc-sinh"], audiences["phu-huynh"]])
        leaflet.save_revision().publish()
    online = _child(
        materials,
        MaterialPage,
        "bai-giang-an-toan-tren-mang",
        title="Bài giảng: An toàn trên mạng",
        format=MaterialFormat.LESSON,
        intro="Một tiết sinh hoạt lớp về mật khẩu, người lạ trên mạng và ảnh riêng tư.",
    )
    if not online.topics.exists():
        online.topics.set([topics["an-toan-tren-mang"], topics["ky-nang-song"]])
        online.audiences.set([audiences["hoc-sinh"], audiences["giao-vien"]])
        online.save_revision().publish()

    campaigns = _child(
        home,
        CampaignIndexPage,
        "chien-dich",
        title="Chiến dịch truyền thông",
        show_in_menus=True,
        intro="Các đợt tuyên truyền của nhà trường, Liên đội và Chi đoàn.",
    )
    hero = _image(
        f"Minh họa: tháng hành động ({school.code})",
        f"thang-hanh-dong-{school.code.lower()}.png",
        (250, 200, 120),
        (200, 90, 60),
        collection,
        "Tranh minh họa ngôi trường dưới ánh mặt trời",
    )
    ongoing = _child(
        campaigns,
        CampaignPage,
        "thang-hanh-dong-truong-em-khong-co-bao-luc",
        title="Tháng hành động: Trường em không có bạo lực",
        start_date=today - datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=20),
        intro="Mỗi lớp một cam kết, mỗi em một việc tốt để bạn bè được an toàn.",
        hero_image=hero,
        body=[
            (
                "paragraph",
                "<p>Trong tháng này, các lớp thảo luận về bắt nạt, ký cam kết, vẽ tranh.</p>",
            ),
            (
                "quote",
                {
                    "quote": "Khi em lên tiếng, bạn em được an toàn.",
                    "attribution": "Khẩu hiệu của Liên đội",
                },
            ),
            (
                "call_to_action",
                {
                    "heading": "Em hoặc bạn đang gặp chuyện?",
                    "text": "Gọi ngay, miễn phí, cả ngày lẫn đêm.",
                    "number": "111",
                },
            ),
        ],
    )
    if not ongoing.topics.exists():
        ongoing.topics.set([topics["bao-luc-hoc-duong"]])
        ongoing.audiences.set(list(audiences.values()))
        CampaignMaterial.objects.create(page=ongoing, material=leaflet)
        ongoing.save_revision().publish()
    past = _child(
        campaigns,
        CampaignPage,
        "tuan-le-an-toan-tren-mang",
        title="Tuần lễ an toàn trên mạng",
        start_date=today - datetime.timedelta(days=120),
        end_date=today - datetime.timedelta(days=113),
        intro="Một tuần tìm hiểu cách giữ an toàn khi dùng điện thoại và mạng xã hội.",
    )
    if not past.topics.exists():
        past.topics.set([topics["an-toan-tren-mang"]])
        past.audiences.set([audiences["hoc-sinh"], audiences["phu-huynh"]])
        past.save_revision().publish()
