"""Rich text reaching a page from code is cut to what the editor can write; editor HTML is kept."""

import pytest
from django.apps import apps
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Site

from pages.models import HomePage, StandardPage
from pages.sanitise import clean_rich_text

HOSTILE = (
    '<p data-block-key="a1" style="color:red" onclick="steal()">Xin chào'
    "<script>window.__pwned = 1</script>"
    '<a href="javascript:alert(1)">bấm vào đây</a>'
    '<a href="https://example.org/" onmouseover="x()">an toàn</a></p>'
    '<iframe src="https://evil.example/"></iframe>'
    '<img src="x" onerror="alert(1)">'
)
DANGER = ["<script", "__pwned", "onclick", "onmouseover", "onerror", "style=", "javascript:"]
DANGER += ["<iframe", "<img"]

EDITOR_HTML = [
    '<p data-block-key="k3j2a">Gọi <b>111</b> &amp; <i>miễn phí</i>&nbsp;24/7.</p>',
    '<h2 data-block-key="h1">Tiêu đề</h2><ul><li data-block-key="l1">Một</li>'
    '<li data-block-key="l2">Hai</li></ul><ol><li data-block-key="o1">Ba</li></ol>',
    '<p data-block-key="x">Xem <a href="https://moet.gov.vn/?a=1&amp;b=2">Bộ GD&amp;ĐT</a>, '
    '<a linktype="page" id="3">trang</a> và <a linktype="document" id="7">tệp</a>.</p>',
    '<p data-block-key="y">Dòng một<br/>dòng hai</p><hr/>'
    '<embed alt="Ảnh &quot;lớp&quot;" embedtype="image" format="left" id="12"/>',
    '<p data-block-key="z"><a href="mailto:tu-van@truong.edu.vn">thư</a> · '
    '<a href="tel:111">111</a></p>',
    "",
]


@pytest.mark.parametrize("html", EDITOR_HTML)
def test_html_the_editor_writes_is_kept_byte_for_byte(html):
    assert clean_rich_text(html) == html


def test_scripts_handlers_styles_frames_and_javascript_links_are_removed():
    cleaned = clean_rich_text(HOSTILE)
    for needle in DANGER:
        assert needle not in cleaned, needle
    # The text and the safe link survive.
    assert "Xin chào" in cleaned
    assert "bấm vào đây" in cleaned
    assert '<a href="https://example.org/">an toàn</a>' in cleaned


def test_image_embeds_stay_self_closing_for_wagtails_rewriter():
    cleaned = clean_rich_text('<p onclick="x()">a<br>b</p><embed embedtype="image" id="5">')
    assert cleaned == '<p>a<br/>b</p><embed embedtype="image" id="5"/>'


def _home() -> HomePage:
    root = Site.objects.get(is_default_site=True).root_page
    return root.add_child(instance=HomePage(title="Trường thử", slug="truong-thu"))


@pytest.mark.django_db
def test_a_page_created_in_code_is_stored_without_the_hostile_markup():
    home = _home()
    home.intro = HOSTILE
    home.save()
    stored = HomePage.objects.get(pk=home.pk).intro
    for needle in DANGER:
        assert needle not in stored, needle
    assert "Xin chào" in stored


@pytest.mark.django_db
def test_stream_field_rich_text_inside_blocks_is_cleaned_too(client):
    home = _home()
    page = home.add_child(
        instance=StandardPage(
            title="Giới thiệu",
            slug="gioi-thieu",
            body=[
                ("paragraph", HOSTILE),
                ("call_to_action", {"heading": "Cần giúp?", "text": "", "number": "111"}),
            ],
        )
    )
    stored = StandardPage.objects.get(pk=page.pk)
    raw = stored.body.get_prep_value()
    text = str(raw)
    for needle in DANGER:
        assert needle not in text, needle
    assert raw[1]["value"]["number"] == "111"
    response = client.get(page.url)
    assert response.status_code == 200
    assert "<script>window.__pwned" not in response.content.decode()


def _rich_text_snapshot() -> dict:
    """Every stored rich-text and StreamField value of the pages app, by model and pk."""
    snapshot = {}
    for model in apps.get_app_config("pages").get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, RichTextField | StreamField) and f.model is model
        ]
        if fields:
            for row in model.objects.values("pk", *fields):
                snapshot[(model.__name__, row.pop("pk"))] = row
    return snapshot


def test_demo_content_resaved_is_unchanged(demo_data):
    before = _rich_text_snapshot()
    assert before, "the demo has rich text to check"
    for model in apps.get_app_config("pages").get_models():
        if any(isinstance(f, RichTextField | StreamField) for f in model._meta.concrete_fields):
            for instance in model.objects.all():
                instance.save()
    assert _rich_text_snapshot() == before
