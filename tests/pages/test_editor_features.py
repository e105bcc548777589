"""What Wagtail 8 gives editors, switched on and in Vietnamese.

Autosave of page drafts, the content checker of the editor's preview (the "Kiểm
tra" panel), and the usage counts of images and documents. The browser side
(the checker's findings, screenshots) is tests/e2e/test_editor_features.py.
"""

import json
import re

import pytest
from django.test import RequestFactory

from schools.roles import Role
from tests.pages.editor_data import (
    bad_standard_page,
    plan_using_document,
    small_document,
    small_image,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, school, make_staff):
    client.force_login(make_staff("bientap.al", Role.EDITOR, school))
    return client


@pytest.fixture
def collection(school):
    school.refresh_from_db()
    return school.collection


def editor_form(html: str) -> str:
    """The attributes of the page editor's form, up to its first child."""
    start = html.index('id="page-edit-form"')
    return html[start : html.index("<input", start)]


# Autosave -------------------------------------------------------------------


def test_page_editor_autosaves_drafts(editor_client, school):
    html = editor_client.get(f"/admin/pages/{school.root_page_id}/edit/").content.decode()
    form = editor_form(html)
    assert "w-autosave" in form
    assert 'data-w-autosave-interval-value="500"' in form
    # The indicator beside the page's title, and its states, in Vietnamese.
    assert 'id="w-autosave-indicator"' in html
    assert "Đã tạm dừng tự động lưu" in html
    assert "Autosave" not in html.replace("w-autosave", "")


def test_new_page_form_autosaves_too(editor_client, school):
    html = editor_client.get(
        f"/admin/pages/add/pages/standardpage/{school.root_page_id}/"
    ).content.decode()
    assert "w-autosave" in editor_form(html)


def test_autosave_messages_of_the_editor_script_are_vietnamese(editor_client):
    script = editor_client.get("/admin/jsi18n/").content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    assert catalogue["Autosave in progress…"] == "Đang tự động lưu…"
    assert catalogue["Changes have been autosaved."] == "Đã tự động lưu thay đổi."
    assert catalogue["A network error occurred."] == "Đã xảy ra lỗi mạng."
    assert catalogue["A server error occurred."] == "Đã xảy ra lỗi máy chủ."


# The content checker -----------------------------------------------------------


def preview_html(page, user, *, in_panel: bool) -> str:
    """The page as the editor's preview renders it (in the panel, or in a new tab).

    ``serve_preview`` with the attributes Wagtail's preview view gives its request
    (wagtail.admin.views.generic.preview, Wagtail 8.0).
    """
    request = RequestFactory().get(page.url)
    request.user = user
    request.is_preview = True
    request.is_editing = True
    request.in_preview_panel = in_panel
    response = page.serve_preview(request, page.default_preview_mode)
    return response.render().content.decode()


def test_preview_panel_carries_the_checker_with_vietnamese_messages(school, collection, make_staff):
    editor = make_staff("bientap.al", Role.EDITOR, school)
    page = bad_standard_page(school.root_page, collection)
    html = preview_html(page, editor, in_panel=True)
    assert "<wagtail-userbar>" in html
    config = json.loads(
        re.search(
            r'<script id="checker-axe-configuration" type="application/json">(.*?)</script>',
            html,
            re.S,
        ).group(1)
    )
    assert config["messages"]["heading-order"] == {
        "error_name": "Thứ bậc tiêu đề không đúng",
        "help_text": "Tránh bỏ qua cấp tiêu đề",
    }
    assert "heading-order" in config["options"]["runOnly"]
    assert "alt-text-quality" in config["options"]["runOnly"]


def test_checks_side_panel_is_in_the_editor_in_vietnamese(editor_client, school):
    html = editor_client.get(f"/admin/pages/{school.root_page_id}/edit/").content.decode()
    assert 'data-side-panel="checks"' in html
    for text in ["Kiểm tra", "Số liệu nội dung", "Độ dễ đọc", "Các vấn đề tìm thấy"]:
        assert text in html


def test_live_site_and_new_tab_preview_show_no_admin_bar(client, school, collection, make_staff):
    """The bar is for the preview panel only: never on the pupils' site, even for staff."""
    editor = make_staff("bientap.al", Role.EDITOR, school)
    page = bad_standard_page(school.root_page, collection)
    assert "wagtail-userbar" not in client.get(page.url).content.decode()
    client.force_login(editor)
    assert "wagtail-userbar" not in client.get(page.url).content.decode()
    assert "wagtail-userbar" not in preview_html(page, editor, in_panel=False)


# Usage counts ------------------------------------------------------------------


def test_documents_listing_counts_the_plan_using_a_document(editor_client, school, collection):
    used = small_document(collection, "Kế hoạch bản ký")
    small_document(collection, "Tờ rơi chưa dùng")
    plan_using_document(school.root_page, used)
    html = editor_client.get("/admin/documents/").content.decode()
    assert "Nơi sử dụng" in html
    rows = {
        title: cell
        for title, cell in re.findall(
            r'id="document_\d+_title">\s*(.*?)\s*<.*?/admin/documents/usage/\d+/">\s*(.*?)\s*</a>',
            html,
            re.S,
        )
    }
    assert rows == {"Kế hoạch bản ký": "Dùng 1 lần", "Tờ rơi chưa dùng": "Dùng 0 lần"}
    assert "Thêm tài liệu" in html  # the glossary's word, not Wagtail's "văn bản"


def test_document_usage_screen_names_the_plan(editor_client, school, collection):
    used = small_document(collection)
    plan = plan_using_document(school.root_page, used)
    html = editor_client.get(f"/admin/documents/usage/{used.pk}/").content.decode()
    assert plan.title in html
    # Where on the plan: the attachment row's file, named in Vietnamese.
    assert "Tệp đính kèm → Tệp" in html
    assert "Plan attachment" not in html


def test_images_list_layout_counts_the_page_using_an_image(editor_client, school, collection):
    bad_standard_page(school.root_page, collection)  # uses its own image once
    small_image(collection, "Ảnh chưa dùng")
    html = editor_client.get("/admin/images/?layout=list").content.decode()
    assert "Nơi sử dụng" in html
    assert html.count("Dùng 1 lần") == 1
    assert html.count("Dùng 0 lần") == 1
    grid = editor_client.get("/admin/images/").content.decode()
    assert "Số lần sử dụng: (nhiều đến ít)" in grid  # sorting by use, in either layout


def test_documents_listing_leaves_out_another_schools_files(editor_client, other_school):
    """The listing shows only the editor's own school's files, counted or not."""
    other_school.refresh_from_db()
    small_document(other_school.collection, "Tài liệu trường khác")
    html = editor_client.get("/admin/documents/").content.decode()
    assert "Tài liệu trường khác" not in html


def test_the_image_blocks_chooser_is_labelled_in_vietnamese(editor_client, school):
    # Wagtail's ImageBlock leaves its chooser unlabelled, which the editor showed as
    # "Image" in English (pages.blocks.image_block labels it).
    html = editor_client.get(
        f"/admin/pages/add/pages/standardpage/{school.root_page_id}/"
    ).content.decode()
    definitions = html.replace("&quot;", '"')
    assert '"label": "Image"' not in definitions
    # The block and its chooser, both "Hình ảnh" (JSON escapes the letters).
    assert definitions.count(f'"label": {json.dumps("Hình ảnh")}') >= 2
