"""A plan reads as a Vietnamese official document: "a) …" on one line, "Căn cứ Thông tư số …"."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import override, pgettext

from pages.models import PlanIndexPage, PlanLegalBasis, PlanPage
from pages.models.plans import cited_kind, cited_subject
from tests.pages.factories import publish, site_home

pytestmark = pytest.mark.django_db


def section(points: list[str], clause_heading: str = "Mục đích") -> tuple:
    return (
        "section",
        {
            "number": "I.",
            "heading": "MỤC ĐÍCH, YÊU CẦU",
            "text": "",
            "clauses": [
                {
                    "number": "1.",
                    "heading": clause_heading,
                    "text": "<p>Mỗi học sinh được lắng nghe.</p>",
                    "points": [
                        {"number": f"{chr(97 + i)})", "text": f"<p>{point}</p>"}
                        for i, point in enumerate(points)
                    ],
                }
            ],
        },
    )


@pytest.fixture
def plans(db) -> PlanIndexPage:
    return publish(site_home(), PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))


def make_plan(index: PlanIndexPage, slug: str = "ke-hoach-ctxh", **fields) -> PlanPage:
    fields.setdefault("title", "Kế hoạch công tác xã hội năm học 2025–2026")
    fields.setdefault("issuing_body", "Trường THCS Thử")
    return publish(index, PlanPage(slug=slug, **fields))


def test_a_point_keeps_its_letter_on_the_line_of_its_text(client, plans):
    plan = make_plan(plans, body=[section(["Phát hiện sớm học sinh có nguy cơ.", "Giữ bí mật."])])

    html = client.get(plan.url).content.decode()

    assert re.search(r"<li><p[^>]*>a\) Phát hiện sớm học sinh có nguy cơ\.</p></li>", html)
    assert re.search(r"<li><p[^>]*>b\) Giữ bí mật\.</p></li>", html)


def test_a_clause_without_heading_keeps_its_number_on_the_line_of_its_text(client, plans):
    plan = make_plan(plans, body=[section([], clause_heading="")])

    html = client.get(plan.url).content.decode()

    assert re.search(r"<p[^>]*>1\. Mỗi học sinh được lắng nghe\.</p>", html)


def test_a_point_number_is_escaped(client, plans):
    body = [section(["Văn bản."])]
    body[0][1]["clauses"][0]["points"][0]["number"] = "<b>a)"
    plan = make_plan(plans, body=body)

    html = client.get(plan.url).content.decode()

    assert "&lt;b&gt;a) Văn bản." in html


def legal_basis_lines(html: str) -> list[str]:
    block = html.split('class="legal-bases"', 1)[1].split("</ul>", 1)[0]
    return [
        " ".join(strip_tags(item).split()) for item in re.findall(r"<li>(.*?)</li>", block, re.S)
    ]


def test_legal_basis_reads_as_documents_cite_it(client, plans):
    plan = make_plan(plans)
    PlanLegalBasis.objects.create(
        page=plan,
        number="33/2018/TT-BGDĐT",
        date=datetime.date(2018, 12, 26),
        issuer="Bộ Giáo dục và Đào tạo",
        title="Hướng dẫn công tác xã hội trong trường học",
        sort_order=0,
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    lines = legal_basis_lines(client.get(plan.url).content.decode())

    assert lines == [
        "Pursuant to Circular No. 33/2018/TT-BGDĐT dated 26/12/2018 of Bộ Giáo dục và Đào tạo"
        " hướng dẫn công tác xã hội trong trường học;"
    ]


def test_legal_basis_on_this_site_links_the_cited_plan(client, plans):
    cited = make_plan(
        plans,
        document_number="12/KH-THU",
        issue_date=datetime.date(2025, 9, 20),
    )
    citing = make_plan(plans, slug="bao-cao", title="Báo cáo sơ kết học kỳ I")
    PlanLegalBasis.objects.create(page=citing, cited_page=cited, sort_order=0)
    citing.save_revision().publish()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(citing.url).content.decode()

    assert f'<a href="{cited.url}">Plan No. 12/KH-THU</a>' in html
    assert legal_basis_lines(html) == [
        "Pursuant to Plan No. 12/KH-THU dated 20/09/2025 of Trường THCS Thử"
        " on kế hoạch công tác xã hội năm học 2025–2026;"
    ]


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("33/2018/TT-BGDĐT", "Circular"),
        ("30/2020/NĐ-CP", "Decree"),
        ("1234/QĐ-UBND", "Decision"),
        ("12/KH-THCS", "Plan"),
        ("5594/SGDĐT-CTTT", "Document"),
        ("01/UBND-VX", "Document"),
        ("", "Document"),
    ],
)
def test_the_kind_of_a_cited_document_comes_from_its_number(number, kind):
    with override("vi"):
        assert cited_kind(number) == pgettext("cited document", kind)


def test_a_cited_subject_drops_the_kind_already_named_and_is_introduced_by_ve():
    with override("vi"):
        assert cited_subject("Kế hoạch công tác xã hội năm học 2025–2026", "Kế hoạch") == (
            pgettext("cited document", "on %(subject)s")
            % {"subject": "công tác xã hội năm học 2025–2026"}
        )
        # A subject that is itself a verb, or "V/v", follows the issuer directly.
        assert cited_subject("Hướng dẫn công tác xã hội;") == "hướng dẫn công tác xã hội"
        assert cited_subject("V/v thực hiện công tác xã hội") == "V/v thực hiện công tác xã hội"
