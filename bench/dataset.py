"""Build the benchmark's database: the demo site, thousands of pages and cases, bench accounts.

Run on a new, empty database with the settings (and case keys) of the server that
will serve it, because every case field is encrypted with ``CASE_ENCRYPTION_KEYS``
and the learner's name index is keyed with ``CASE_INDEX_KEY`` at build time::

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=sqlite:////tmp/bench.sqlite3 \\
        .venv/bin/python bench/dataset.py --scale full --manifest /tmp/bench.json

It loads the demo district and its two schools (``load_demo_data``), then adds, per
school, plans, campaigns and materials (each with a generated JPEG), hotlines and
cases with their Mẫu 01–04 records, and writes a JSON manifest naming the URLs,
the accounts and one wizard step for the runner. Pages are inserted in bulk with
the tree columns computed here (``add_child`` costs ~30 ms a page); cases and
records are bulk-created through the models, so their encrypted fields go through
the field classes. Every name, number and story is invented.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import json
import os
import random
import sys
import time
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

SCALES: dict[str, dict[str, int]] = {
    "full": {
        "plans": 2000,
        "campaigns": 500,
        "materials": 500,
        "hotlines": 300,
        "cases": 20000,
        "concerns": 10000,
        # The reports (bench/figures.py): one school's year, and a district's roll-up.
        "figure_cases": 20000,
        "figure_entries": 50000,
        "figure_activities": 500,
        "district_schools": 50,
    },
    # Ten concerns: fewer than one page of the triage queue, so a query per row there
    # shows as a count that differs from the full scale's.
    "small": {
        "plans": 100,
        "campaigns": 50,
        "materials": 50,
        "hotlines": 100,
        "cases": 100,
        "concerns": 10,
        "figure_cases": 200,
        "figure_entries": 500,
        "figure_activities": 20,
        "district_schools": 5,
    },
}
COUNT_KEYS = ("plans", "campaigns", "materials", "hotlines", "cases", "concerns")
COUNT_KEYS += ("figure_cases", "figure_entries", "figure_activities", "district_schools")

# Known to the runner through the manifest; the accounts exist only in bench databases.
BENCH_PASSWORD = "bench-antoan-Kq7v-2026"
CASE_WORKER_USERNAME = "bench.ctxh"
PRINCIPAL_USERNAME = "bench.hieutruong"
# Fixed TOTP secrets (hex, 20 bytes) so the runner can compute sign-in codes.
CASE_WORKER_TOTP_HEX = "6263682d637478682d746f74702d6b65792d3031"
PRINCIPAL_TOTP_HEX = "6263682d686965752d746f74702d6b65792d3032"

# Lines shown on a school's pages: a school keeps a few numbers in use and the
# rest of its 300 entries as retired ones, unticked rather than deleted.
ACTIVE_HOTLINES_PER_SCHOOL = 8
ACTIVE_PROVINCIAL_HOTLINES = 4

# The triage queue of the bench school; its deep page is measured when the school has
# enough open concerns to reach it (the full scale). The queue's page size and page
# parameter are concerns.views.triage's.
TRIAGE_QUEUE_PATH = "/admin/tiep-nhan-thong-tin/"
TRIAGE_DEEP_PAGE = 150
TRIAGE_PAGE_PARAM = "p"
HELP_FORM_PATH = "/tro-giup/{code}/"
# What the runner types into the public help form: the page fills its own hidden fields.
HELP_TEXT = (
    "Em là học sinh lớp 7. Mấy hôm nay có mấy bạn lớp trên chặn đường em lúc tan học "
    "để xin tiền, em sợ không dám kể với bố mẹ (tình huống giả định của bài đo)."
)

SEARCH_WORD = "hoc duong"
SEED = 20260101
BATCH = 500


def _setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        raise SystemExit(
            "Set DJANGO_SETTINGS_MODULE (and the case keys) to those of the server that "
            "will serve this database."
        )
    import django

    django.setup()


# Fictitious text -----------------------------------------------------------------

SUBJECTS = [
    ("phòng, chống bạo lực học đường", "bao-luc-hoc-duong"),
    ("phòng, chống xâm hại trẻ em", "xam-hai-tre-em"),
    ("tư vấn tâm lý cho học sinh", "tam-ly"),
    ("giáo dục kỹ năng sống", "ky-nang-song"),
    ("tư vấn hướng nghiệp cho học sinh khối 9", "huong-nghiep"),
    ("an toàn trên mạng cho học sinh", "an-toan-tren-mang"),
    ("phòng ngừa học sinh bỏ học", "bo-hoc"),
    ("công tác xã hội trong trường học", "dich-vu-cong-tac-xa-hoi"),
    ("giáo dục giới và bình đẳng giới", "gioi-va-quan-he-xa-hoi"),
    ("hỗ trợ học sinh học tập chưa tốt", "hoc-tap"),
    ("phổ biến pháp luật về quyền trẻ em", "chinh-sach-phap-luat"),
]
KIND_TITLES = {
    "plan": [
        "Kế hoạch {s} năm học {p}",
        "Kế hoạch tổ chức Tháng hành động {s} năm học {p}",
        "Kế hoạch tư vấn học đường về {s} học kỳ {hk} năm học {p}",
    ],
    "official_letter": [
        "Công văn về việc tăng cường {s} năm học {p}",
        "Công văn hướng dẫn giáo viên chủ nhiệm thực hiện {s} năm học {p}",
    ],
    "decision": [
        "Quyết định thành lập Tổ tư vấn học đường về {s} năm học {p}",
        "Quyết định phân công cán bộ phụ trách {s} năm học {p}",
    ],
    "report": [
        "Báo cáo sơ kết công tác {s} học kỳ {hk} năm học {p}",
        "Báo cáo tổng kết công tác {s} năm học {p}",
    ],
    "guidance": [
        "Hướng dẫn thực hiện chuyên đề {s} năm học {p}",
        "Hướng dẫn tổ chức sinh hoạt lớp về {s} năm học {p}",
    ],
}
KIND_CODES = {
    "plan": "KH",
    "official_letter": "CV",
    "decision": "QĐ",
    "report": "BC",
    "guidance": "HD",
}
PARAGRAPHS = [
    "Nhà trường xác định {s} là nhiệm vụ thường xuyên, gắn với việc xây dựng môi trường "
    "giáo dục an toàn, lành mạnh, thân thiện. Mỗi cán bộ, giáo viên, nhân viên có trách "
    "nhiệm lắng nghe, phát hiện sớm và báo ngay cho Tổ tư vấn khi học sinh có dấu hiệu "
    "gặp khó khăn.",
    "Giáo viên chủ nhiệm phối hợp với cha mẹ học sinh theo dõi những thay đổi bất thường về "
    "học tập, cảm xúc và các mối quan hệ của học sinh; trao đổi riêng với học sinh ở nơi "
    "kín đáo, tôn trọng ý kiến của các em và giữ bí mật thông tin cá nhân.",
    "Liên đội và Chi đoàn tổ chức các buổi sinh hoạt dưới cờ, diễn đàn, cuộc thi vẽ tranh "
    "và viết cảm nhận theo chủ điểm; mỗi lớp xây dựng nội quy ứng xử và bầu bạn tư vấn "
    "đồng đẳng để các em có người tin cậy chia sẻ.",
    "Phòng tư vấn mở cửa vào giờ ra chơi các ngày trong tuần; học sinh có thể gặp trực tiếp, "
    "gửi thư vào hòm thư “Điều em muốn nói” hoặc gọi Tổng đài quốc gia bảo vệ trẻ em 111, "
    "miễn phí, 24/7.",
    "Kết quả thực hiện được tổng hợp hằng tháng, báo cáo Ban giám hiệu và Phòng GD&ĐT "
    "huyện Thử Nghiệm theo quy định; số liệu trong văn bản này là số liệu minh họa, "
    "không phải của trường hay người thật.",
    "Nhà trường huy động sự tham gia của Ban đại diện cha mẹ học sinh, trạm y tế xã, công an "
    "xã và các tổ chức đoàn thể tại địa phương trong việc hỗ trợ học sinh có hoàn cảnh khó "
    "khăn, học sinh có nguy cơ bỏ học.",
]
CLAUSES = [
    ("Tuyên truyền", "Mỗi học kỳ tổ chức ít nhất một chuyên đề về {s} cho học sinh toàn trường."),
    ("Tư vấn, hỗ trợ", "Tổ tư vấn tiếp nhận, đánh giá và hỗ trợ học sinh theo đúng quy trình."),
    ("Phối hợp", "Giáo viên chủ nhiệm trao đổi với cha mẹ học sinh ít nhất một lần mỗi tháng."),
    ("Kiểm tra, đánh giá", "Ban giám hiệu kiểm tra việc thực hiện vào cuối mỗi học kỳ."),
]
CAMPAIGN_TITLES = [
    "Tuần lễ {s}",
    "Tháng hành động {s}",
    "Ngày hội {s} khối {k}",
    "Chuỗi hoạt động {s} tháng {m}",
    "Cuộc thi vẽ tranh về {s}",
]
MATERIAL_TITLES = [
    ("Tờ rơi: {s}", "leaflet"),
    ("Áp phích: {s}", "poster"),
    ("Bài giảng sinh hoạt lớp: {s}", "lesson"),
    ("Video ngắn: {s}", "video"),
    ("Bài trình chiếu: {s}", "slides"),
]
STORY = [
    "Trong đợt này, các lớp thảo luận về {s}, cùng nhau viết cam kết và chọn một việc làm "
    "cụ thể để bạn bè được an toàn khi đến trường.",
    "Thầy cô chủ nhiệm dành một tiết sinh hoạt lớp để các em chia sẻ, đóng vai và tìm cách "
    "ứng xử phù hợp; những câu hỏi khó được Tổ tư vấn giải đáp riêng.",
    "Cha mẹ học sinh được mời tham gia buổi nói chuyện cuối tuần, nhận tài liệu và số điện "
    "thoại của phòng tư vấn để liên hệ khi cần.",
    "Những bức tranh, bài viết đẹp được trưng bày ở sảnh trường và đăng trên trang này "
    "(tên học sinh được giữ kín).",
]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hùng", "Khánh", "Lan", "Linh", "Mai", "Minh"]
GIVEN += ["Nam", "Ngọc", "Phúc", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Vy", "Yến"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Hoàng", "Gia", "Bảo", "Thanh"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Lò", "Vi"]
OCCUPATIONS = ["làm ruộng", "công nhân", "buôn bán nhỏ", "lái xe", "làm thuê", "giáo viên"]
SITUATIONS = [
    "Bạn cùng lớp báo em hay bị trêu chọc, giật đồ giờ ra chơi",
    "Giáo viên chủ nhiệm thấy em ít nói, hay nghỉ học không lý do",
    "Em kể với cô tư vấn về mâu thuẫn kéo dài trong gia đình",
    "Em nghỉ học nhiều buổi để phụ giúp gia đình làm nương",
    "Em lo lắng, mất ngủ kéo dài trước các kỳ kiểm tra",
    "Em bị một nhóm bạn lập nhóm trên mạng để chê bai",
    "Em có vết bầm ở tay và tránh nói về chuyện ở nhà",
    "Em bị nhóm bạn lớp trên chặn đường xin tiền",
]
PLACES = ["sân trường", "lớp học", "đường đi học về", "nhóm trò chuyện trên mạng", "ở nhà"]
GOALS = [
    "Em cảm thấy an toàn khi ở trường và ở nhà",
    "Em đi học đều trở lại",
    "Em biết cách thư giãn trước giờ kiểm tra",
    "Em có ít nhất hai bạn thân trong lớp",
    "Gia đình được tư vấn về chính sách hỗ trợ học phí",
    "Em biết số điện thoại cần gọi khi gặp nguy hiểm",
]
ACTIVITIES = [
    "Tham vấn cá nhân hằng tuần",
    "Trao đổi với gia đình tại nhà",
    "Sinh hoạt nhóm kỹ năng cùng bạn bè",
    "Phân công bạn học đồng hành",
    "Kết nối với trạm y tế xã",
]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} (giả định)"


def _school_year(year: int) -> str:
    return f"{year}–{year + 1}"


# Pages ---------------------------------------------------------------------------


def _bulk_add_children(parent, pages: list, published_at: Iterable[datetime.datetime]) -> list:
    """Insert ``pages`` (unsaved specific pages, one model) as live children of ``parent``.

    Computes what ``add_child`` would (path, depth, url_path, content type, locale)
    and writes the ``wagtailcore_page`` rows with one ``bulk_create``, then the
    specific rows with ``_insert`` on the child table only, which is all that
    Django's multi-table ``save`` does besides signals. ``numchild`` of the parent
    is raised by the number added.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models import F
    from wagtail.models import Page

    if not pages:
        return []
    model = type(pages[0])
    content_type = ContentType.objects.get_for_model(model)
    parent.refresh_from_db()
    depth = parent.depth + 1
    last = parent.get_last_child()
    start = Page._str2int(last.path[-Page.steplen :]) if last is not None else 0
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    for offset, (page, when) in enumerate(zip(pages, published_at, strict=True), start=1):
        page.path = Page._get_path(parent.path, depth, start + offset)
        page.depth = depth
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.content_type = content_type
        page.locale_id = parent.locale_id
        page.live = True
        page.has_unpublished_changes = False
        page.draft_title = page.title
        page.translation_key = uuid.uuid4()
        page.first_published_at = page.last_published_at = when
    rows = [Page(**{f.attname: getattr(p, f.attname) for f in page_fields}) for p in pages]
    Page.objects.bulk_create(rows, batch_size=BATCH)
    for page, row in zip(pages, rows, strict=True):
        page.id = page.page_ptr_id = row.pk
        page._state.adding = False
    local_fields = model._meta.local_concrete_fields
    size = max(1, min(BATCH, connection.ops.bulk_batch_size(local_fields, pages)))
    for i in range(0, len(pages), size):
        model._base_manager._insert(pages[i : i + size], fields=local_fields)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    return pages


def _unique_slug(base: str, used: set[str]) -> str:
    from anyascii import anyascii
    from django.utils.text import slugify

    stem = slugify(anyascii(base))
    if len(stem) > 70:
        stem = stem[:70].rsplit("-", 1)[0]
    stem = stem.strip("-") or "trang"
    slug, n = stem, 1
    while slug in used:
        n += 1
        slug = f"{stem}-{n}"
    used.add(slug)
    return slug


def _jpeg(rng: random.Random, number: int, title: str) -> bytes:
    """A distinct 1200×675 JPEG: a two-colour gradient, a few shapes and a caption."""
    from anyascii import anyascii
    from PIL import Image, ImageDraw

    top = tuple(rng.randrange(40, 230) for _ in range(3))
    bottom = tuple(rng.randrange(40, 230) for _ in range(3))
    strip = Image.new("RGB", (1, 2))
    strip.putpixel((0, 0), top)
    strip.putpixel((0, 1), bottom)
    image = strip.resize((1200, 675), Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(image)
    for _ in range(4):
        x, y, r = rng.randrange(0, 1200), rng.randrange(0, 500), rng.randrange(40, 160)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(0, 256) for _ in "rgb"))
    draw.rectangle((0, 560, 1200, 675), fill=(255, 255, 255))
    draw.text((40, 585), anyascii(title)[:110], fill=(20, 20, 20))
    draw.text((40, 625), f"Minh hoa so {number} - du lieu gia dinh", fill=(90, 90, 90))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82)
    return out.getvalue()


def _make_images(rng: random.Random, school, titles: list[str]) -> list:
    """Save one generated JPEG per title through the image model's file field, in bulk."""
    from django.core.files.base import ContentFile

    from pages.models import SiteImage

    images = []
    for title in titles:
        number = rng.randrange(10**8)
        data = _jpeg(rng, number, title)
        image = SiteImage(
            title=f"Minh họa: {title}",
            collection=school.collection,
            alt_text=f"Tranh minh họa cho “{title}”",
            file_size=len(data),
            file_hash=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
        )
        image.file.save(f"bench-{school.code.lower()}-{number}.jpg", ContentFile(data), save=False)
        # Assigning the file resets the dimensions the model reads from it lazily.
        image.width, image.height = 1200, 675
        images.append(image)
    SiteImage.objects.bulk_create(images, batch_size=BATCH)
    return images


def _plan_body(rng: random.Random, subject: str) -> list:
    from pages.demo import _section

    paragraphs = rng.sample(PARAGRAPHS, 3)
    clauses = rng.sample(CLAUSES, 3)
    return [
        _section(
            "I.",
            "MỤC ĐÍCH, YÊU CẦU",
            paragraphs[0].format(s=subject),
            [("1.", "Mục đích", [paragraphs[1].format(s=subject)])],
        ),
        _section(
            "II.",
            "NỘI DUNG",
            paragraphs[2].format(s=subject),
            [
                (f"{n}.", heading, [text.format(s=subject)])
                for n, (heading, text) in enumerate(clauses, start=1)
            ],
        ),
        _section("III.", "TỔ CHỨC THỰC HIỆN", rng.choice(PARAGRAPHS).format(s=subject), []),
    ]


def _build_plans(rng: random.Random, school, index, count: int, topics: dict) -> list:
    from pages.models import PlanPage

    short = school.name.split(" (")[0]
    used = set(index.get_children().values_list("slug", flat=True))
    pages, topic_links, when = [], [], []
    today = datetime.date.today()
    for n in range(count):
        kind = rng.choice(list(KIND_TITLES))
        subject, topic_slug = rng.choice(SUBJECTS)
        year = rng.randint(today.year - 6, today.year)
        term = rng.choice(["I", "II"])
        title = rng.choice(KIND_TITLES[kind]).format(s=subject, p=_school_year(year), hk=term)
        issue_date = datetime.date(year, rng.choice([9, 10, 11, 12]), rng.randint(1, 28))
        if issue_date > today:
            issue_date = today - datetime.timedelta(days=rng.randint(1, 60))
        page = PlanPage(
            title=title,
            slug=_unique_slug(title, used),
            document_number=f"{n + 100}/{KIND_CODES[kind]}-{school.code}",
            kind=kind,
            issuing_body=rng.choice([short, short, "Phòng GD&ĐT huyện Thử Nghiệm (minh họa)"]),
            issue_place="Thử Nghiệm",
            issue_date=issue_date,
            summary=(
                f"Triển khai công tác {subject} năm học {_school_year(year)} (văn bản minh họa)."
            ),
            period_label=f"năm học {_school_year(year)}",
            period_start_year=year,
            period_end_year=year + 1,
            recipients="Phòng GD&ĐT huyện Thử Nghiệm (để báo cáo)\nCác tổ chuyên môn\nLưu: VT",
            signer_authority=rng.choice(["HIỆU TRƯỞNG", "KT. HIỆU TRƯỞNG\nPHÓ HIỆU TRƯỞNG"]),
            signer_name=_person(rng).replace(" (giả định)", ""),
            search_description=f"Văn bản minh họa về {subject}.",
            body=_plan_body(rng, subject),
        )
        pages.append(page)
        when.append(_aware(datetime.datetime.combine(issue_date, datetime.time(8, 0))))
        topic_links.append({topic_slug, rng.choice(SUBJECTS)[1]})
    _bulk_add_children(index, pages, when)
    through = PlanPage.topics.through
    through.objects.bulk_create(
        [
            through(planpage_id=page.pk, topic_id=topics[slug].pk)
            for page, slugs in zip(pages, topic_links, strict=True)
            for slug in slugs
        ],
        batch_size=BATCH,
    )
    return pages


def _story(rng: random.Random, subject: str) -> list:
    paragraphs = rng.sample(STORY, 3)
    body = [("paragraph", f"<p>{p.format(s=subject)}</p>") for p in paragraphs]
    body.append(
        (
            "call_to_action",
            {
                "heading": "Em hoặc bạn đang gặp chuyện?",
                "text": "Gọi ngay, miễn phí.",
                "number": "111",
            },
        )
    )
    return body


def _build_awareness(rng, school, parent, model, count: int, topics, audiences) -> list:
    """Campaigns or materials under ``parent``, each with its own generated image."""
    from pages.models import CampaignPage

    is_campaign = model is CampaignPage
    used = set(parent.get_children().values_list("slug", flat=True))
    today = datetime.date.today()
    specs = []
    for _ in range(count):
        subject, topic_slug = rng.choice(SUBJECTS)
        if is_campaign:
            title = rng.choice(CAMPAIGN_TITLES).format(
                s=subject, k=rng.choice([6, 7, 8, 9]), m=rng.randint(1, 12)
            )
            extra = {}
        else:
            pattern, fmt = rng.choice(MATERIAL_TITLES)
            title = pattern.format(s=subject)
            extra = {"format": fmt}
        specs.append((title, subject, topic_slug, extra))
    images = _make_images(rng, school, [title for title, *_ in specs])
    pages, when, links = [], [], []
    for (title, subject, topic_slug, extra), image in zip(specs, images, strict=True):
        fields = {
            "title": title,
            "slug": _unique_slug(title, used),
            "intro": f"Hoạt động minh họa của nhà trường về {subject}.",
            "search_description": f"Minh họa: {subject}.",
            "body": _story(rng, subject),
            **extra,
        }
        if is_campaign:
            start = today + datetime.timedelta(days=rng.randint(-900, 60))
            fields.update(
                start_date=start,
                end_date=start + datetime.timedelta(days=rng.choice([7, 14, 30])),
                hero_image=image,
            )
            published = min(start - datetime.timedelta(days=7), today)
        else:
            fields["image"] = image
            published = today - datetime.timedelta(days=rng.randint(0, 900))
        pages.append(model(**fields))
        when.append(_aware(datetime.datetime.combine(published, datetime.time(9, 0))))
        links.append(({topic_slug}, rng.sample(sorted(audiences), rng.randint(1, len(audiences)))))
    _bulk_add_children(parent, pages, when)
    name = model._meta.model_name
    pairs = list(zip(pages, links, strict=True))
    for field, target, rows in (
        ("topics", "topic_id", [(p.pk, topics[s].pk) for p, (slugs, _a) in pairs for s in slugs]),
        (
            "audiences",
            "audience_id",
            [(p.pk, audiences[c].pk) for p, (_s, codes) in pairs for c in codes],
        ),
    ):
        through = model._meta.get_field(field).remote_field.through
        through.objects.bulk_create(
            [through(**{f"{name}_id": page_id, target: other}) for page_id, other in rows],
            batch_size=BATCH,
        )
    return pages


def _aware(value: datetime.datetime) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(value)


def _build_hotlines(rng: random.Random, schools: list, count: int) -> None:
    from pages.models import Hotline

    rows = []
    provincial = max(1, count // 10)
    for n in range(count):
        if n < provincial:
            scope, school, active = Hotline.Scope.PROVINCIAL, None, n < ACTIVE_PROVINCIAL_HOTLINES
            name = rng.choice(
                ["Trung tâm công tác xã hội tỉnh", "Đường dây tư vấn tâm lý tỉnh", "Sở GD&ĐT"]
            )
        else:
            school = schools[n % len(schools)]
            scope = Hotline.Scope.SCHOOL
            active = (n - provincial) // len(schools) < ACTIVE_HOTLINES_PER_SCHOOL
            name = rng.choice(
                ["Phòng tư vấn", "Tổng phụ trách Đội", "Y tế trường", "Bí thư Chi đoàn", "Bảo vệ"]
            )
        rows.append(
            Hotline(
                number=f"0000 9{n // 1000:02d} {n % 1000:03d}",
                name=f"{name} (minh họa {n + 1})",
                purpose="Số điện thoại minh họa, không gọi được",
                hours=rng.choice(["24/7", "7:00–17:00, thứ Hai–thứ Sáu", "Giờ hành chính"]),
                is_free=rng.random() < 0.3,
                scope=scope,
                school=school,
                sort_order=100 + n,
                active=active,
            )
        )
    Hotline.objects.bulk_create(rows, batch_size=BATCH)


def _index_pages(models_and_ids: list[tuple[type, list[int]]]) -> None:
    """Add the bulk-inserted pages to the search index, as ``update_index`` would."""
    from wagtail.search.backends import get_search_backends

    for backend in get_search_backends(with_auto_update=True):
        for model, ids in models_and_ids:
            for i in range(0, len(ids), BATCH):
                objs = list(
                    model.objects.filter(pk__in=ids[i : i + BATCH]).prefetch_related(
                        *[name for name in ("topics", "audiences") if hasattr(model, name)]
                    )
                )
                backend.add_bulk(model, objs)


# Accounts --------------------------------------------------------------------------


def _bench_user(username: str, first: str, last: str, role: str, school, key_hex: str):
    from django.contrib.auth import get_user_model

    from accounts.models import AuthenticatorDevice
    from schools.models import Membership

    user, _created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.invalid"},
    )
    user.is_active = True
    user.set_password(BENCH_PASSWORD)
    user.save()
    Membership.objects.get_or_create(school=school, user=user, role=role)
    AuthenticatorDevice.objects.filter(user=user).delete()
    AuthenticatorDevice.objects.create(user=user, name="authenticator", key=key_hex, confirmed=True)
    return user


# Cases -----------------------------------------------------------------------------

# How cases are spread over the states, older cases being mostly closed.
STATE_WEIGHTS = [
    ("received", 6),
    ("assessed", 6),
    ("plan_submitted", 5),
    ("plan_returned", 2),
    ("plan_approved", 5),
    ("in_progress", 14),
    ("reviewed", 4),
    ("referred", 8),
    ("closed", 50),
]
PATH = ["received", "assessed", "plan_submitted", "plan_approved", "in_progress", "reviewed"]


class CaseFactory:
    """Writes cases with their events and Mẫu 01–04 records, a chunk at a time, in bulk.

    The answers have the shapes the wizards store (see ``forms_app.wizards``):
    intake answers by step without the columns, rated tables as ``items`` of
    criterion snapshots, plan goals and activities as rows, review results per goal.
    """

    def __init__(self, rng: random.Random, schools: list, workers: dict, principals: dict):
        from forms_app.cases.deadlines import calendar_for
        from forms_app.models import (
            ActivityPartner,
            IssueCategory,
            NeedDomain,
            RatingCriterion,
            ReceivingBody,
        )
        from forms_app.printing.sections import snapshot

        self.rng = rng
        self.schools = schools
        self.workers = workers
        self.principals = principals
        self.calendars = {s.pk: calendar_for(s) for s in schools}
        self.categories = list(IssueCategory.objects.filter(active=True))
        self.harm = [snapshot(c) for c in RatingCriterion.objects.filter(table="harm")]
        self.resilience = [snapshot(c) for c in RatingCriterion.objects.filter(table="resilience")]
        self.domains = [snapshot(d) for d in NeedDomain.objects.filter(active=True)]
        self.partners = [snapshot(p) for p in ActivityPartner.objects.filter(active=True)]
        self.bodies = list(ReceivingBody.objects.filter(school__isnull=True, active=True))
        self.records = 0

    # Answers, as the wizards store them

    def _rated(self, criteria: list[dict], levels=("low", "medium", "high")) -> dict:
        return {
            "items": [
                {"criterion": c, "level": self.rng.choice(levels), "note": ""} for c in criteria
            ]
        }

    def intake_answers(self, situation: str, guardian: str) -> tuple[dict, bool]:
        rng = self.rng
        consented = rng.random() < 0.6
        answers = {
            "source": {
                "channel": rng.choice(["phone", "in_person", "reported_by_other", "mailbox"])
            },
            "learner": {
                "place": rng.choice(PLACES),
                "current_condition": f"{situation} (tình huống giả định).",
                "likely_consequences": "Em có thể sa sút học tập, thu mình, nghỉ học nhiều hơn.",
                "learner_consent": "yes",
            },
            "family": {
                "father_name": _person(rng),
                "father_age": rng.randint(30, 55),
                "father_occupation": rng.choice(OCCUPATIONS),
                "mother_name": _person(rng),
                "mother_age": rng.randint(28, 50),
                "mother_occupation": rng.choice(OCCUPATIONS),
                "situation": "Gia đình có hoàn cảnh khó khăn, bố mẹ đi làm xa (giả định).",
                "carer": rng.choice(["Bố mẹ", "Ông bà nội", "Bà ngoại", "Cô ruột"]),
                "guardian_consent": guardian,
            },
            "support_so_far": {
                "support_so_far": "Giáo viên chủ nhiệm đã trò chuyện riêng với em hai lần."
            },
            "first_assessment": {
                "needs": "Em cần được lắng nghe, hỗ trợ tâm lý và theo dõi thêm.",
                "notes": "Dữ liệu minh họa, không phải người thật.",
            },
        }
        if consented:
            answers["informant"] = {
                "name": _person(rng),
                "phone": f"0000 {rng.randint(100, 999)} {rng.randint(100, 999)}",
                "address": "Bản Minh Họa, xã Thử Nghiệm (giả định)",
                "relation": rng.choice(["Bạn cùng lớp", "Giáo viên bộ môn", "Hàng xóm"]),
            }
        return answers, consented

    def assessment_answers(self, on: datetime.date, conclusion: str) -> dict:
        rng = self.rng
        needs = rng.sample(self.domains, min(len(self.domains), rng.randint(1, 3)))
        answers = {
            "verification": {
                "assessed_on": on.isoformat(),
                "method": "Trao đổi với giáo viên chủ nhiệm, gia đình và học sinh (giả định).",
                "people_consulted": "Giáo viên chủ nhiệm, mẹ của học sinh, hai bạn cùng lớp.",
                "learner_view": "Em mong được giúp đỡ và không muốn chuyển lớp.",
            },
            "harm": self._rated(self.harm),
            "resilience": self._rated(self.resilience),
            "risk": {
                "recurrence": rng.choice(["low", "medium", "high"]),
                "dropout": rng.choice(["", "low", "medium"]),
                "self_harm": rng.choice(["", "low"]),
                "overall": rng.choice(["low", "medium", "high"]),
                "note": "",
            },
            "needs": {
                "items": [
                    {"domain": d, "priority": rng.choice(["high", "medium", "low"]), "note": ""}
                    for d in needs
                ]
            },
            "conclusion": {
                "conclusion": conclusion,
                "reasons": "Tổ tư vấn thống nhất đề xuất như trên (giả định).",
            },
        }
        return answers

    def referral_answers(self, body) -> dict:
        return {
            "receiving_body": {"id": body.pk, "name": body.name},
            "learner_consent": "yes",
            "guardian_consent": "guardian_suspected",
            "consent": False,
            "danger_exception": "Em có dấu hiệu bị bạo lực từ người lớn trong nhà (giả định).",
        }

    def plan_answers(self, situation: str, goals: list[str]) -> dict:
        rng = self.rng
        return {
            "problems": {"text": f"{situation} (giả định).\nEm cần được hỗ trợ tâm lý và học tập."},
            "goals": {"items": [{"text": g} for g in goals]},
            "activities": {
                "items": [
                    {
                        "need": rng.choice(["Tâm lý", "An toàn", "Học tập"]),
                        "activity": rng.choice(ACTIVITIES),
                        "responsible": "Tổ tư vấn học đường",
                        "partners": rng.sample(self.partners, min(2, len(self.partners))),
                        "timing": "Trong thời gian kế hoạch",
                        "resources": "Phòng tư vấn của trường",
                        "expected_result": goal,
                    }
                    for goal in goals
                ]
            },
        }

    def review_answers(self, on: datetime.date, plan_answers: dict, conclusion: str) -> dict:
        rng = self.rng
        return {
            "general": {"reviewed_on": on.isoformat(), "notes": "Rà soát cùng GVCN và gia đình."},
            "results": {
                "goals": [
                    {
                        "text": g["text"],
                        "result": rng.choice(["achieved", "partly"]),
                        "evidence": "GVCN xác nhận",
                    }
                    for g in plan_answers["goals"]["items"]
                ],
                "activities": [
                    {"activity": a["activity"], "result": "achieved", "evidence": "Sổ theo dõi"}
                    for a in plan_answers["activities"]["items"]
                ],
            },
            "harm": self._rated(self.harm, ("low",)),
            "resilience": self._rated(self.resilience, ("medium", "high")),
            "conclusion": {"conclusion": conclusion, "reasons": "Không còn nguy cơ (giả định)."},
        }

    # Writing

    def build(self, count: int, now: datetime.datetime) -> int:
        """Create ``count`` cases spread over the schools, the last three years and the states."""
        from django.db.models import Max

        from forms_app.models import Case

        rng = self.rng
        states = [s for s, _w in STATE_WEIGHTS]
        weights = [w for _s, w in STATE_WEIGHTS]
        plan = []
        for n in range(count):
            school = self.schools[n % len(self.schools)]
            days_ago = rng.randint(1, 3 * 365)
            state = rng.choices(states, weights)[0]
            if n < 2 * len(states):
                # Every state at every school, however small the build.
                state, days_ago = states[n // 2], 30 + n
            elif days_ago < 20 and state == "closed":
                state = "in_progress"
            received = now - datetime.timedelta(days=days_ago, minutes=rng.randint(0, 600))
            plan.append((school, received, state))
        plan.sort(key=lambda item: item[1])
        # References continue after the demo cases of the same school and year.
        sequences = {
            (row["school"], row["year"]): row["last"]
            for row in Case.objects.values("school", "year").annotate(last=Max("sequence"))
        }
        for i in range(0, len(plan), 1000):
            self._chunk(plan[i : i + 1000], sequences, now)
        return count

    def _chunk(self, chunk: list, sequences: dict, now: datetime.datetime) -> None:
        from django.utils import timezone

        from forms_app.encryption import blind_index
        from forms_app.models import Case

        rng = self.rng
        cases = []
        for school, received, state in chunk:
            year = timezone.localtime(received).year
            key = (school.pk, year)
            sequences[key] = sequences.get(key, 0) + 1
            name = _person(rng)
            age = rng.randint(10, 15)
            cases.append(
                Case(
                    school=school,
                    year=year,
                    sequence=sequences[key],
                    reference=f"{school.code}-{year}-{sequences[key]:04d}",
                    learner_name=name,
                    learner_name_index=blind_index(name),
                    learner_birth_date=(
                        datetime.date(year - age, rng.randint(1, 12), rng.randint(1, 28))
                        if rng.random() < 0.7
                        else None
                    ),
                    learner_age_estimate=age,
                    learner_gender=rng.choice(["male", "female", "unknown"]),
                    learner_class=f"{age - 5}{rng.choice('ABCD')}",
                    state=state,
                    assigned_worker=self.workers[school.pk],
                    received_at=received,
                    created_by=self.workers[school.pk],
                )
            )
        Case.objects.bulk_create(cases, batch_size=BATCH)
        self._records(cases, now)
        # auto_now(_add) stamped the build time; a real case was made when received.
        for case in cases:
            case.created_at = case.received_at
        Case.objects.bulk_update(
            cases,
            ["created_at", "updated_at", "next_deadline", "next_deadline_label"],
            batch_size=BATCH,
        )

    def _records(self, cases: list, now: datetime.datetime) -> None:
        from forms_app.models import (
            Assessment,
            Case,
            CaseEvent,
            IntakeReport,
            InterventionPlan,
            Referral,
            Review,
        )

        sink = _Sink()
        for case in cases:
            self._one_case(case, now, sink)
        Case.categories.through.objects.bulk_create(sink.categories, batch_size=BATCH)
        IntakeReport.objects.bulk_create(sink.intakes, batch_size=BATCH)
        Assessment.objects.bulk_create(sink.assessments, batch_size=BATCH)
        Referral.objects.bulk_create(sink.referrals, batch_size=BATCH)
        InterventionPlan.objects.bulk_create([p.row for p in sink.plans], batch_size=BATCH)
        reviews = [
            Review(
                case=p.case,
                plan=p.row,
                author=self.workers[p.case.school_id],
                created_at=p.reviewed_at,
                conclusion=p.conclusion,
                answers=self.review_answers(p.reviewed_at.date(), p.answers, p.conclusion),
            )
            for p in sink.plans
            if p.reviewed_at is not None
        ]
        Review.objects.bulk_create(reviews, batch_size=BATCH)
        CaseEvent.objects.bulk_create(sink.events, batch_size=BATCH)
        self.records += len(sink.intakes) + len(sink.assessments) + len(sink.plans)
        self.records += len(reviews) + len(sink.referrals)

    def _one_case(self, case, now: datetime.datetime, sink: _Sink) -> None:
        """The records and timeline of one case, up to its state, into ``sink``."""
        from forms_app.models import (
            Assessment,
            Case,
            CaseEvent,
            IntakeReport,
            InterventionPlan,
            Referral,
        )

        rng = self.rng
        worker = self.workers[case.school_id]
        principal = self.principals[case.school_id]
        calendar = self.calendars[case.school_id]
        state = case.state
        at = case.received_at
        situation = rng.choice(SITUATIONS)
        from_intake = state == "referred" and rng.random() < 0.5
        current = ""

        def event(kind: str, when, actor, to_state: str = "", note: str = "") -> None:
            nonlocal current
            sink.events.append(
                CaseEvent(
                    case=case,
                    at=when,
                    actor=actor,
                    kind=kind,
                    from_state=current if to_state else "",
                    to_state=to_state,
                    note=note,
                )
            )
            if to_state:
                current = to_state

        def refer(when) -> None:
            body = rng.choice(self.bodies)
            due = calendar.add_working_hours(case.received_at, 12)
            sent = due - datetime.timedelta(hours=2) if rng.random() < 0.7 else None
            sink.referrals.append(
                Referral(
                    case=case,
                    author=worker,
                    created_at=when,
                    receiving_body=body,
                    due_at=due,
                    sent_at=sent,
                    consent_given=False,
                    danger_exception="Em có dấu hiệu bị bạo lực (tình huống giả định).",
                    answers=self.referral_answers(body),
                )
            )
            if sent is None:
                case.next_deadline, case.next_deadline_label = due, "referral"
            event("transition", when, worker, to_state="referred")

        for category in rng.sample(self.categories, rng.randint(1, 2)):
            sink.categories.append(
                Case.categories.through(case_id=case.pk, issuecategory_id=category.pk)
            )
        case.next_deadline, case.next_deadline_label = None, ""
        event("transition", at, worker, to_state="received")
        answers, consented = self.intake_answers(
            situation, "guardian_suspected" if from_intake else "yes"
        )
        sink.intakes.append(
            IntakeReport(
                case=case,
                author=worker,
                created_at=at,
                received_at=at,
                urgency="urgent" if from_intake else "not_urgent",
                referral_suggested=from_intake,
                informant_consented=consented,
                answers=answers,
            )
        )
        event("record", at, worker, note="Mẫu 01")
        if from_intake:
            at += datetime.timedelta(hours=1)
            refer(at)
            case.updated_at = at
            return

        last = {"referred": "assessed", "plan_returned": "plan_submitted", "closed": "reviewed"}
        steps = PATH[1 : PATH.index(last.get(state, state)) + 1]
        gap = datetime.timedelta(days=max(1, min(7, (now - at).days // len(PATH))))
        latest = now - datetime.timedelta(minutes=5)
        plan = None
        for step in steps:
            at = min(at + gap, latest)
            actor = worker
            if step == "assessed":
                conclusion = "referral" if state == "referred" else "support"
                sink.assessments.append(
                    Assessment(
                        case=case,
                        author=worker,
                        created_at=at,
                        conclusion=conclusion,
                        answers=self.assessment_answers(at.date(), conclusion),
                    )
                )
                event("record", at, worker, note="Mẫu 02")
            elif step == "plan_submitted":
                start = at.date()
                goals = rng.sample(GOALS, rng.randint(1, 3))
                plan = _PlanSpec(
                    case=case,
                    answers=self.plan_answers(situation, goals),
                    row=None,
                )
                plan.row = InterventionPlan(
                    case=case,
                    author=worker,
                    created_at=at,
                    version=1,
                    status="submitted",
                    submitted_at=at,
                    approval_due_at=calendar.add_working_days(at, 3),
                    period_start=start,
                    period_end=start + datetime.timedelta(days=90),
                    review_date=start + datetime.timedelta(days=60),
                    answers=plan.answers,
                )
                sink.plans.append(plan)
                event("record", at, worker, note="Mẫu 03")
            elif step == "plan_approved":
                actor = principal
                plan.row.status = "approved"
                plan.row.decided_by = principal
                plan.row.decided_at = at
            elif step == "reviewed":
                plan.reviewed_at = at
                plan.conclusion = "close" if state == "closed" else "continue"
                event("record", at, worker, note="Mẫu 04")
            event("transition", at, actor, to_state=step)

        if state == "referred":
            at += datetime.timedelta(hours=2)
            refer(at)
        elif state == "plan_returned":
            at = min(at + datetime.timedelta(days=2), latest)
            plan.row.status = "returned"
            plan.row.decided_by = principal
            plan.row.decided_at = at
            plan.row.decision_comment = "Đề nghị bổ sung hoạt động phối hợp với gia đình."
            event("transition", at, principal, to_state="plan_returned")
        elif state == "closed":
            at = min(at + datetime.timedelta(days=3), latest)
            event("transition", at, principal, to_state="closed")
        if state == "plan_submitted":
            case.next_deadline = plan.row.approval_due_at
            case.next_deadline_label = "plan_approval"
        elif state in ("plan_approved", "in_progress"):
            # Close of the review date, or of the next working day (deadlines.review_due).
            review_day = calendar._next_working_day(plan.row.review_date)
            case.next_deadline = calendar._end_of_day(review_day)
            case.next_deadline_label = "review"
        case.updated_at = at


class _PlanSpec:
    """A plan row being built, with what its review (Mẫu 04) will need."""

    def __init__(self, case, answers: dict, row) -> None:
        self.case = case
        self.answers = answers
        self.row = row
        self.reviewed_at: datetime.datetime | None = None
        self.conclusion = ""


class _Sink:
    """The rows of one chunk of cases, written together with ``bulk_create``."""

    def __init__(self) -> None:
        self.events: list = []
        self.intakes: list = []
        self.assessments: list = []
        self.referrals: list = []
        self.plans: list[_PlanSpec] = []
        self.categories: list = []


# Concerns --------------------------------------------------------------------------

# How concerns reach a school, and what became of them. Most are still open, more
# than a school would leave open, so that the queue (open items by default, 50 to a
# page) reaches page 150: the bench measures the queue at its fullest.
CONCERN_CHANNELS = [("online", 40), ("staff", 30), ("phone", 12), ("visit", 8), ("box", 7)]
CONCERN_CHANNELS += [("other", 3)]
CONCERN_STATUSES = [("received", 55), ("handling", 30), ("closed", 15)]
CONCERN_URGENT_SHARE = 0.06
CONCERN_SPAM_SHARE = 0.08  # of the online requests
CONCERN_TEACHERS = 6
CONCERN_LEARNERS = 400
CONCERN_STORIES = [
    "Em thấy bạn cùng lớp bị mấy bạn lớp trên chặn đường đòi tiền sau giờ tan học",
    "Con tôi về nhà kể bị các bạn trong nhóm trò chuyện của lớp chê bai, đặt biệt danh",
    "Em học sinh ngồi một mình cả giờ ra chơi, hai tuần nay không nói chuyện với ai",
    "Cô thấy vết bầm ở cánh tay em, em nói bị ngã nhưng tránh nhìn cô",
    "Em nghỉ học ba ngày liền, gọi điện cho gia đình không ai nghe máy",
    "Em bị một người lạ nhắn tin trên mạng đòi gửi ảnh riêng tư",
    "Hai nhóm học sinh hẹn đánh nhau ở bãi đất sau trường chiều thứ Sáu",
    "Em kể bố mẹ hay cãi nhau, em sợ về nhà vào buổi tối",
]
CONCERN_ACTIONS = [
    "Đã hỏi chuyện riêng em và báo giáo viên chủ nhiệm",
    "Chưa làm gì, báo ngay cho Tổ tư vấn",
    "Đã gọi điện cho phụ huynh hẹn gặp",
    "",
]
CONCERN_REPLIES = [
    "Cảm ơn em đã kể cho thầy cô. Em có thể đến phòng tư vấn giờ ra chơi ngày mai không?",
    "Thầy cô đã nhận được và đang tìm cách giúp. Nếu em thấy nguy hiểm, hãy gọi 111.",
    "Cô đã trao đổi với giáo viên chủ nhiệm của lớp. Em thấy hôm nay thế nào?",
]
CONCERN_ANSWERS = [
    "Dạ, em cảm ơn cô. Mai em sẽ đến ạ.",
    "Hôm nay các bạn ấy không chặn đường em nữa ạ.",
    "Em vẫn còn sợ, cô giúp em với.",
]


class ConcernFactory:
    """Writes the bench school's concerns from every channel, in bulk, with the
    learners they name and a few messages: what the triage queue lists.

    Encrypted fields go through their field classes in ``bulk_create`` (the build
    runs with the server's keys), as the cases' do.
    """

    def __init__(self, rng: random.Random, school, worker, principal) -> None:
        self.rng = rng
        self.school = school
        self.worker = worker
        self.principal = principal

    def _teachers(self) -> list:
        """A few homeroom teachers who raise the staff concerns (no password: never signed in)."""
        from django.contrib.auth import get_user_model

        from schools.models import Membership
        from schools.roles import Role

        User = get_user_model()
        code = self.school.code.lower()
        teachers = []
        for n in range(1, CONCERN_TEACHERS + 1):
            user, created = User.objects.get_or_create(
                username=f"bench.gv{n}.{code}",
                defaults={
                    "first_name": f"Giáo viên {n}",
                    "last_name": "Benchmark",
                    "email": f"bench.gv{n}.{code}@example.invalid",
                },
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(school=self.school, user=user, role=Role.STAFF)
            teachers.append(user)
        return teachers

    def _learners(self, count: int) -> list:
        """Learners on the school's roll, some of whom the concerns name."""
        from forms_app.encryption import blind_index
        from learners.models import Learner

        rng = self.rng
        rows = []
        for n in range(count):
            name = _person(rng)
            age = rng.randint(11, 15)
            personal_id = f"0{self.school.pk:02d}{n:09d}"
            rows.append(
                Learner(
                    school=self.school,
                    full_name=name,
                    name_index=blind_index(name),
                    birth_date=datetime.date(
                        datetime.date.today().year - age, rng.randint(1, 12), rng.randint(1, 28)
                    ),
                    gender=rng.choice(["male", "female"]),
                    personal_id=personal_id,
                    personal_id_index=blind_index(personal_id),
                    class_name=f"{age - 5}{rng.choice('ABCD')}",
                )
            )
        return Learner.objects.bulk_create(rows, batch_size=BATCH)

    def build(self, count: int, now: datetime.datetime) -> int:
        """Create ``count`` concerns over the last two years, the newest the most often open."""
        from django.contrib.auth.hashers import make_password

        from concerns.models import Concern, ConcernLearner, ConcernMessage
        from forms_app.models import Case

        if count <= 0:
            return 0
        rng = self.rng
        teachers = self._teachers()
        learners = self._learners(min(CONCERN_LEARNERS, max(5, count // 10)))
        case_ids = list(
            Case.objects.filter(school=self.school)
            .order_by("-pk")
            .values_list("pk", flat=True)[:2000]
        )
        # Nobody comes back to these threads: one stored value stands for every phrase.
        # Their codes (12 characters, with 0 and 1) are outside the channel's alphabet,
        # so a request posted during the load never draws one of them.
        secret_hash = make_password("bench bí mật chung")
        channels = [c for c, _w in CONCERN_CHANNELS]
        channel_weights = [w for _c, w in CONCERN_CHANNELS]
        statuses = [s for s, _w in CONCERN_STATUSES]
        status_weights = [w for _s, w in CONCERN_STATUSES]
        reasons = ["no_action", "duplicate", "not_school", "resolved"]
        for start in range(0, count, 1000):
            concerns, named, messages = [], [], []
            for n in range(start, min(count, start + 1000)):
                # Every channel, and an urgent one, however small the build.
                channel = (
                    channels[n] if n < len(channels) else rng.choices(channels, channel_weights)[0]
                )
                minutes = rng.randint(5, 2 * 365 * 24 * 60)
                received = now - datetime.timedelta(minutes=minutes)
                status = rng.choices(statuses, status_weights)[0]
                if minutes < 3 * 24 * 60:
                    status = "received"
                urgent = n == 1 or rng.random() < CONCERN_URGENT_SHARE
                spam = channel == "online" and (n == 0 or rng.random() < CONCERN_SPAM_SHARE)
                if spam:
                    status, urgent = "received", False
                concern = Concern(
                    school=self.school,
                    channel=channel,
                    received_at=received,
                    urgent=urgent,
                    what_happened=f"{rng.choice(CONCERN_STORIES)} (tình huống giả định).",
                    when_where=f"{rng.choice(PLACES).capitalize()}, {rng.randint(7, 17)} giờ",
                    status=status,
                    held_as_possible_spam=spam,
                )
                if channel == "staff":
                    concern.reporter = rng.choice(teachers)
                    concern.action_taken = rng.choice(CONCERN_ACTIONS)
                elif channel == "online":
                    concern.sender_role = rng.choice(["learner", "learner", "parent", "other"])
                    concern.contact = (
                        f"0000 {rng.randint(100, 999)} {rng.randint(100, 999)}"
                        if rng.random() < 0.3
                        else ""
                    )
                    concern.tracking_code = f"BN{self.school.pk:02d}{n:08d}"
                    concern.secret_hash = secret_hash
                else:
                    concern.reporter = self.worker
                    concern.caller = rng.choice(
                        ["Tổng đài 111", "Mẹ của học sinh", "Công an xã", "Hòm thư góp ý", ""]
                    )
                if status != "received":
                    concern.handled_by = self.worker
                    if case_ids and rng.random() < 0.5:
                        concern.case_id = rng.choice(case_ids)
                if status == "closed":
                    concern.closed_at = received + datetime.timedelta(days=rng.randint(1, 10))
                    concern.close_reason = "resolved" if concern.case_id else rng.choice(reasons)
                    concern.close_note = "Đã trao đổi với giáo viên chủ nhiệm (giả định)."
                concerns.append(concern)
            Concern.objects.bulk_create(concerns, batch_size=BATCH)
            for concern in concerns:
                for position in range(rng.choices([1, 2, 3], [70, 22, 8])[0]):
                    role = ["harmed", "caused_harm", "witness"][min(position, 2)]
                    row = ConcernLearner(concern_id=concern.pk, role=role)
                    if learners and rng.random() < 0.6:
                        row.learner = rng.choice(learners)
                    else:
                        row.typed_name = _person(rng)
                        row.typed_class = f"{rng.randint(6, 9)}{rng.choice('ABCD')}"
                    if position == 0 and concern.case_id:
                        row.case_id = concern.case_id
                    named.append(row)
                if concern.channel in ("online", "staff") and rng.random() < 0.3:
                    at = concern.received_at
                    author_kind = "team"
                    for _message in range(rng.randint(1, 3)):
                        at = min(at + datetime.timedelta(hours=rng.randint(1, 48)), now)
                        team = author_kind == "team"
                        messages.append(
                            ConcernMessage(
                                concern_id=concern.pk,
                                author_kind=author_kind,
                                author=self.worker if team else concern.reporter,
                                text=rng.choice(CONCERN_REPLIES if team else CONCERN_ANSWERS),
                                created_at=at,
                            )
                        )
                        if not team:
                            concern.last_sender_message_at = at
                        author_kind = "reporter" if team else "team"
            ConcernLearner.objects.bulk_create(named, batch_size=BATCH)
            ConcernMessage.objects.bulk_create(messages, batch_size=BATCH)
            Concern.objects.bulk_update(
                [c for c in concerns if c.last_sender_message_at],
                ["last_sender_message_at"],
                batch_size=BATCH,
            )
        return count


# Build -----------------------------------------------------------------------------


def _counts_for(scale: str | Mapping[str, int]) -> dict[str, int]:
    if isinstance(scale, str):
        if scale not in SCALES:
            raise ValueError(f"Unknown scale {scale!r}; use one of {sorted(SCALES)}.")
        return dict(SCALES[scale])
    return {key: int(scale.get(key, 0)) for key in COUNT_KEYS}


def _site_path(page, site) -> str:
    """The path of ``page`` under the default site, as a visitor at 127.0.0.1 opens it."""
    return "/" + page.url_path[len(site.root_page.url_path) :]


def build(scale: str | Mapping[str, int] = "small", *, log=None) -> dict[str, Any]:
    """Fill the (migrated, empty) database and return the manifest.

    ``scale`` is "small", "full" or a mapping of counts by ``COUNT_KEYS``, so a
    test can build a handful of each. The database must hold no school yet.
    """
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Site

    from pages.models import (
        Audience,
        CampaignIndexPage,
        CampaignPage,
        MaterialIndexPage,
        MaterialPage,
        PlanIndexPage,
        PlanPage,
        Topic,
    )
    from schools.models import School

    say = log or (lambda message: None)
    counts = _counts_for(scale)
    if School.objects.exists():
        raise RuntimeError("The database already holds schools: build into a new database.")
    rng = random.Random(SEED)
    started = time.monotonic()

    with transaction.atomic():
        call_command("load_demo_data", stdout=io.StringIO())
        say(f"demo data loaded ({time.monotonic() - started:.1f} s)")
        baseline = _db_counts()
        site = Site.objects.get(is_default_site=True)
        site.hostname, site.port = "127.0.0.1", 80
        site.save()
        schools = list(School.objects.filter(code__in=["HB", "SM"]).order_by("code"))
        topics = {t.slug: t for t in Topic.objects.all()}
        audiences = {a.code: a for a in Audience.objects.all()}
        _school_calendars(schools)

        made: dict[type, list[int]] = {PlanPage: [], CampaignPage: [], MaterialPage: []}
        for position, school in enumerate(schools):
            home = school.root_page

            def share(key: str, position: int = position) -> int:
                total = counts[key]
                return total // len(schools) + (1 if position < total % len(schools) else 0)

            plan_index = PlanIndexPage.objects.child_of(home).get()
            made[PlanPage] += [
                p.pk for p in _build_plans(rng, school, plan_index, share("plans"), topics)
            ]
            for model, index_model, key in (
                (CampaignPage, CampaignIndexPage, "campaigns"),
                (MaterialPage, MaterialIndexPage, "materials"),
            ):
                parent = index_model.objects.child_of(home).get()
                pages = _build_awareness(rng, school, parent, model, share(key), topics, audiences)
                made[model] += [p.pk for p in pages]
        say(f"pages inserted ({time.monotonic() - started:.1f} s)")
        _build_hotlines(rng, schools, counts["hotlines"])
        _index_pages(list(made.items()))
        _index_images()
        say(f"search index written ({time.monotonic() - started:.1f} s)")

        first = schools[0]
        worker = _bench_user(
            CASE_WORKER_USERNAME,
            "Cán bộ CTXH",
            "Benchmark",
            "case_worker",
            first,
            CASE_WORKER_TOTP_HEX,
        )
        principal = _bench_user(
            PRINCIPAL_USERNAME,
            "Hiệu trưởng",
            "Benchmark",
            "principal",
            first,
            PRINCIPAL_TOTP_HEX,
        )
        from django.contrib.auth import get_user_model

        User = get_user_model()
        workers = {first.pk: worker}
        principals = {first.pk: principal}
        for school in schools[1:]:
            code = school.code.lower()
            workers[school.pk] = User.objects.get(username=f"ctxh.{code}")
            principals[school.pk] = User.objects.get(username=f"hieutruong.{code}")
        factory = CaseFactory(rng, schools, workers, principals)
        factory.build(counts["cases"], timezone.now())
        say(f"{counts['cases']} cases written ({time.monotonic() - started:.1f} s)")
        ConcernFactory(rng, first, worker, principal).build(counts["concerns"], timezone.now())
        say(f"{counts['concerns']} concerns written ({time.monotonic() - started:.1f} s)")
        from bench import figures

        reports = figures.build(counts, rng, timezone.now(), say)
        manifest = _manifest(scale, counts, baseline, site, schools, worker, principal)
        manifest["figures"] = reports
    say(f"done ({time.monotonic() - started:.1f} s)")
    return manifest


def _db_counts() -> dict[str, int]:
    """How many of each kind the database holds, for the manifest."""
    from concerns.models import Concern, ConcernLearner, ConcernMessage
    from forms_app.models import (
        Assessment,
        Case,
        IntakeReport,
        InterventionPlan,
        Referral,
        Review,
    )
    from pages.models import CampaignPage, Hotline, MaterialPage, PlanPage, SiteImage

    records = (IntakeReport, Assessment, InterventionPlan, Review, Referral)
    return {
        "plans": PlanPage.objects.count(),
        "campaigns": CampaignPage.objects.count(),
        "materials": MaterialPage.objects.count(),
        "hotlines": Hotline.objects.count(),
        "cases": Case.objects.count(),
        "records": sum(model.objects.count() for model in records),
        "images": SiteImage.objects.count(),
        "concerns": Concern.objects.count(),
        "concern_learners": ConcernLearner.objects.count(),
        "concern_messages": ConcernMessage.objects.count(),
    }


def _school_calendars(schools: list) -> None:
    from forms_app.models import CalendarException, SchoolCalendar

    for school in schools:
        calendar, _created = SchoolCalendar.objects.get_or_create(school=school)
        year = datetime.date.today().year
        for day, working, note in (
            (datetime.date(year, 11, 20), False, "Ngày Nhà giáo Việt Nam (nghỉ, minh họa)"),
            (datetime.date(year, 3, 26), False, "Ngày thành lập Đoàn (nghỉ buổi chiều, minh họa)"),
        ):
            CalendarException.objects.get_or_create(
                calendar=calendar, date=day, defaults={"is_working_day": working, "note": note}
            )


def _index_images() -> None:
    from wagtail.search.backends import get_search_backends

    from pages.models import SiteImage

    ids = list(SiteImage.objects.values_list("pk", flat=True))
    for backend in get_search_backends(with_auto_update=True):
        for i in range(0, len(ids), BATCH):
            backend.add_bulk(SiteImage, list(SiteImage.objects.filter(pk__in=ids[i : i + BATCH])))


def _wizard_step(worker, school) -> dict[str, Any]:
    """A Mẫu 01 draft of the case worker at its "learner" step, and a valid POST of that step."""
    from django.urls import reverse
    from formtools.wizard.views import normalize_name

    from forms_app.models import IssueCategory, TemplateCode, WizardDraft
    from forms_app.wizards.intake import IntakeWizard

    now = datetime.datetime.now()
    draft = WizardDraft.objects.create(
        owner=worker,
        school=school,
        template=TemplateCode.INTAKE,
        current_step="learner",
        steps={
            "data": {
                "source": {
                    "source-channel": ["in_person"],
                    "source-received_date": [now.strftime("%Y-%m-%d")],
                    "source-received_time": ["07:30"],
                }
            },
            "extra": {},
        },
    )
    prefix = normalize_name(IntakeWizard.__name__)
    category = IssueCategory.objects.filter(active=True).order_by("sort_order", "pk").first()
    data = {
        f"{prefix}-current_step": "learner",
        "learner-name": "Học sinh Thử Nghiệm (giả định)",
        "learner-birth_date": "2013-05-17",
        "learner-age_estimate": "",
        "learner-gender": "female",
        "learner-learner_class": "7A",
        "learner-place": "Sân trường",
        "learner-current_condition": "Em hay bị trêu chọc giờ ra chơi (tình huống giả định).",
        "learner-likely_consequences": "Em có thể ngại đến trường.",
        "learner-categories": str(category.pk),
        "learner-learner_consent": "yes",
    }
    url = reverse(IntakeWizard.step_url_name(), kwargs={"draft_id": draft.pk, "step": "learner"})
    return {"url": url, "data": data, "next_step": "family"}


def _triage_urls(school) -> dict[str, str | None]:
    """The queue's first page, and its page 150 when the school's open concerns reach it.

    The queue opens on the open concerns not set aside as possible spam; a page past
    the last would show the last one (``Paginator.get_page``), so a deep page is named
    only when it exists.
    """
    from concerns.models import Concern
    from concerns.views.triage import PAGE_SIZE

    listed = Concern.objects.filter(
        school=school, status__in=["received", "handling"], held_as_possible_spam=False
    ).count()
    deep = listed > (TRIAGE_DEEP_PAGE - 1) * PAGE_SIZE
    return {
        "triage_queue": TRIAGE_QUEUE_PATH,
        "triage_queue_deep": (
            f"{TRIAGE_QUEUE_PATH}?{TRIAGE_PAGE_PARAM}={TRIAGE_DEEP_PAGE}" if deep else None
        ),
    }


def _help_form(school) -> dict[str, Any]:
    """The public help form of ``school`` and what a pupil types into it.

    Hidden fields (the CSRF token, the signed time token, the honeypot left empty) are
    the page's own: the runner reads them from the form it is served, as a browser does.
    """
    return {
        "url": HELP_FORM_PATH.format(code=school.code),
        "data": {"sender_role": "learner", "text": HELP_TEXT},
    }


def _manifest(scale, counts, baseline, site, schools, worker, principal) -> dict[str, Any]:
    from django.conf import settings
    from django.urls import reverse

    from forms_app.models import (
        InterventionPlan,
    )
    from pages.models import CampaignPage, PlanIndexPage, PlanPage

    first = schools[0]
    home = first.root_page
    plan_index = PlanIndexPage.objects.child_of(home).get()
    plan = PlanPage.objects.child_of(plan_index).order_by("-pk").first()
    campaign = CampaignPage.objects.descendant_of(home).order_by("-pk").first()
    query = f"?year={plan.period_start_year}&kind={plan.kind}"
    pdf_plan = (
        InterventionPlan.objects.filter(case__school=first, case__assigned_worker=worker)
        .order_by("-pk")
        .first()
    ) or InterventionPlan.objects.filter(case__school=first).order_by("-pk").first()
    plan_pdf = (
        reverse("forms_app:record_pdf", kwargs={"template": "03", "pk": pdf_plan.pk})
        if pdf_plan is not None
        else None
    )
    totals = _db_counts()
    return {
        "scale": scale if isinstance(scale, str) else "custom",
        "requested": counts,
        "counts": totals,
        # What this build added to the demo content it started from.
        "generated": {key: totals[key] - baseline[key] for key in totals},
        "host": site.hostname,
        "media_root": str(settings.MEDIA_ROOT),
        "titles": {"home": home.title, "plan": plan.title, "campaign": campaign.title},
        "urls": {
            "home": _site_path(home, site),
            "plan_index_filtered": _site_path(plan_index, site) + query,
            "plan": _site_path(plan, site),
            "campaign": _site_path(campaign, site),
            "search": f"/tim-kiem/?q={SEARCH_WORD.replace(' ', '+')}",
            "not_found": "/khong-co-trang-nay-404/",
            "case_list": reverse("forms_app_case_modeladmin_index"),
            "plan_pdf": plan_pdf,
            **_triage_urls(first),
        },
        "wizard_step": _wizard_step(worker, first),
        "help_form": _help_form(first),
        "users": {
            "case_worker": {
                "username": worker.username,
                "password": BENCH_PASSWORD,
                "totp_key_hex": CASE_WORKER_TOTP_HEX,
            },
            "principal": {
                "username": principal.username,
                "password": BENCH_PASSWORD,
                "totp_key_hex": PRINCIPAL_TOTP_HEX,
            },
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--manifest", required=True, type=Path)
    args = parser.parse_args(argv)
    _setup_django()
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"migrated ({time.monotonic() - started:.1f} s)", flush=True)
    manifest = build(args.scale, log=lambda message: print(message, flush=True))
    args.manifest.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    print(f"manifest written to {args.manifest} ({time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
