"""`load_demo_data` gives a browsable district with two schools; a second run changes nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Page, Site

from pages.models import HomePage
from schools.models import District, Membership, School
from schools.roles import Role

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "sites": Site.objects.count(),
        "schools": School.objects.count(),
        "districts": District.objects.count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
        "revisions": sum(p.revisions.count() for p in Page.objects.all()),
    }


def test_demo_data_twice_creates_no_duplicates(demo_data):
    first = counts()
    call_command("load_demo_data", stdout=io.StringIO())
    assert counts() == first
    assert first["schools"] == 2
    assert first["districts"] == 1


def test_demo_gives_every_role_an_account(demo_data):
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)


def test_portal_links_to_each_school_site(client, demo_data):
    html = client.get("/").content.decode()
    for school in School.objects.all():
        assert f'href="/{school.root_page.slug}/"' in html
        assert school.name.replace("&", "&amp;") in html


@pytest.mark.parametrize("code", ["HB", "SM"])
def test_each_school_home_page_shows_111_and_its_own_hotline(client, demo_data, code):
    school = School.objects.get(code=code)
    response = client.get(f"/{school.root_page.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:111"' in html
    assert school.hotline in html
    assert isinstance(school.root_page.specific, HomePage)


@pytest.mark.parametrize("code", ["HB", "SM"])
def test_each_school_has_its_own_site_hostname(client, demo_data, code):
    school = School.objects.get(code=code)
    site = Site.objects.get(root_page=school.root_page)
    assert site.hostname.endswith(".localhost")
    response = client.get("/", HTTP_HOST=f"{site.hostname}:{site.port}")
    assert response.status_code == 200
    assert f"<h1>{school.name.replace('&', '&amp;')}</h1>" in response.content.decode()


def test_wagtail_placeholder_page_is_replaced_by_the_portal(demo_data):
    default = Site.objects.get(is_default_site=True)
    assert default.root_page.specific_class is HomePage
    assert not Page.objects.filter(depth=2).exclude(pk=default.root_page_id).exists()


def test_passwords_are_printed_only_in_debug():
    quiet = io.StringIO()
    call_command("load_demo_data", stdout=quiet)
    assert "antoan-demo-2026" not in quiet.getvalue()
    assert not get_user_model().objects.get(username="ctxh.hb").has_usable_password()

    loud = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo_data", stdout=loud)
    assert "antoan-demo-2026" in loud.getvalue()
    assert get_user_model().objects.get(username="ctxh.hb").check_password("antoan-demo-2026")


def test_demo_password_is_withdrawn_when_rerun_without_debug():
    with override_settings(DEBUG=True):
        call_command("load_demo_data", stdout=io.StringIO())
    call_command("load_demo_data", stdout=io.StringIO())
    assert not get_user_model().objects.get(username="admin").check_password("antoan-demo-2026")


def test_demo_attachments_are_real_pdf_files():
    from pages.demo import minimal_pdf

    data = minimal_pdf(["Kế hoạch minh họa"])
    assert data.startswith(b"%PDF-1.4\n")
    assert data.rstrip().endswith(b"%%EOF")
    # the cross-reference offsets point at the objects
    xref_at = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert data[xref_at:].startswith(b"xref")
    first_offset = int(data[xref_at:].split(b"\n")[3][:10])
    assert data[first_offset:].startswith(b"1 0 obj")


def test_each_demo_school_has_a_place_for_its_date_lines(demo_data):
    """Records date themselves at the school's place (a fictitious commune), not its name."""
    for school in School.objects.all():
        assert school.place_name
        assert school.place_name != school.name
        assert f"xã {school.place_name}" in school.address
