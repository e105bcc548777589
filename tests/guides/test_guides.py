"""The admin's Help menu leads to our Vietnamese guides, not Wagtail's English web pages."""

import json

import pytest
from django.utils import translation

from guides.catalogue import GUIDES
from schools.roles import Role


@pytest.fixture
def editor_client(client, make_school, make_staff):
    client.force_login(make_staff("bientap", Role.EDITOR, make_school("G1")))
    return client


def _menu_items(html: str) -> dict[str, str]:
    """Every sidebar menu item's name and label, read from the props Wagtail renders."""
    start = html.index('id="wagtail-sidebar-props"')
    props = html[html.index(">", start) + 1 : html.index("</script>", start)]
    found: dict[str, str] = {}

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("name"), str) and isinstance(node.get("label"), str):
                found[node["name"]] = node["label"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(props))
    return found


def test_help_menu_lists_our_guides_instead_of_wagtails_web_links(editor_client):
    items = _menu_items(editor_client.get("/admin/").content.decode())
    with translation.override("vi"):
        expected = {f"guide-{guide.slug}": str(guide.title) for guide in GUIDES}
    assert {name: label for name, label in items.items() if name in expected} == expected
    assert not [name for name in items if name.startswith(("editor-guide", "whats-new"))]


@pytest.mark.parametrize("guide", GUIDES, ids=lambda guide: guide.slug)
def test_each_guide_reads_in_vietnamese_in_the_admin_frame(editor_client, guide):
    response = editor_client.get(f"/admin/huong-dan/{guide.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    with translation.override("vi"):
        assert f"<title>{guide.title}" in html
    assert "<h2>" in html
    assert "Wagtail" not in html.split("<main", 1)[1].split("</main>")[0]
    assert "hồ sơ" in html


def test_a_guide_follows_the_language_choice():
    with translation.override("en"):
        assert GUIDES[0].template_name() == "guides/en/bien-tap.html"
    with translation.override("fr"):
        assert GUIDES[0].template_name() == "guides/vi/bien-tap.html"


def test_guides_need_a_staff_sign_in_and_an_unknown_one_is_not_found(client, editor_client):
    assert editor_client.get("/admin/huong-dan/khong-co/").status_code == 404
    client.logout()
    assert client.get("/admin/huong-dan/ho-so/").status_code == 302


@pytest.mark.parametrize(
    ("role", "slug"),
    [(Role.PRINCIPAL, "hieu-truong"), (Role.CASE_WORKER, "ho-so"), (Role.EDITOR, "bien-tap")],
)
def test_the_dashboard_offers_the_guide_of_the_role(client, make_school, make_staff, role, slug):
    client.force_login(make_staff("nguoi", role, make_school("G2")))
    html = client.get("/admin/").content.decode()
    assert f'href="/admin/huong-dan/{slug}/"' in html
    assert "editor guide" not in html
