"""The log in the "Case records" menu for its keepers only, and the content areas'
list for the deployment's operators."""

import json

import pytest
from django.contrib.auth import get_user_model

from counselling.models import CounsellingArea
from schools.roles import Role


def menu_text(client) -> str:
    response = client.get("/admin/")
    assert response.status_code == 200
    return json.dumps(json.loads(_menu_props(response.content.decode())), ensure_ascii=False)


def _menu_props(html: str) -> str:
    marker = 'id="wagtail-sidebar-props"'
    start = html.index(">", html.index(marker)) + 1
    return html[start : html.index("</script>", start)]


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.PRINCIPAL])
def test_the_log_and_activities_are_in_the_case_menu_for_the_team(client_as, staff_of, role):
    text = menu_text(client_as(staff_of(role)))
    assert "/admin/so-tu-van/" in text
    assert "/admin/so-tu-van/hoat-dong/" in text
    assert "Sổ theo dõi tư vấn" in text
    assert "Hoạt động truyền thông, phòng ngừa" in text


@pytest.mark.parametrize("role", [Role.STAFF, Role.EDITOR, Role.DISTRICT_OFFICER])
def test_nobody_else_sees_them(client_as, staff_of, role):
    assert "/admin/so-tu-van/" not in menu_text(client_as(staff_of(role)))


def test_an_operator_edits_the_content_areas(client_as, db):
    operator = get_user_model().objects.create_superuser("root", password="pw-root")
    client = client_as(operator)
    listing = client.get("/admin/snippets/counselling/counsellingarea/")
    assert listing.status_code == 200
    assert "Hướng nghiệp" in listing.content.decode()
    assert CounsellingArea.objects.filter(active=True).count() == 7
