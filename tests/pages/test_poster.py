"""The printable hotline poster: the right numbers, 111 first, and a QR code to the help page."""

import re

import pytest
import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from wagtail.models import Site

from pages.models import HomePage, Hotline, HotlineNoticePage
from pages.poster import QR_SVG_OPTIONS, qr_scale, qr_svg
from schools.models import School

pytestmark = pytest.mark.django_db


HB_HOME = "http://testserver/thcs-hoa-ban/"
HB_NOTICE = HB_HOME + "duong-day-nong/"


def poster(client, code: str):
    response = client.get(f"/ap-phich/{code}/")
    assert response.status_code == 200
    return response, response.content.decode()


def svg_in(html: str) -> str:
    found = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert len(found) == 1, "expected exactly one QR code on the poster"
    return found[0]


def segno_svg(url: str) -> str:
    """What segno itself makes of ``url`` at level M with the poster's size and colours."""
    qr = segno.make(url, error="m", boost_error=False)
    assert qr.error == "M"
    return qr.svg_inline(scale=qr_scale(qr), **QR_SVG_OPTIONS)


def add_notice(school: School, **fields) -> HotlineNoticePage:
    home = HomePage.objects.get(pk=school.root_page_id)
    fields.setdefault("title", "Đường dây nóng")
    fields.setdefault("slug", "duong-day-nong")
    return home.add_child(instance=HotlineNoticePage(**fields))


# The demo district, as `make run` loads it: slow to build, so only a few tests use it.


def test_demo_school_poster_shows_111_its_own_line_and_not_the_other_schools(client, demo_data):
    _response, html = poster(client, "HB")
    for number in ("111", "112", "113", "114", "115"):
        assert f'href="tel:{number}">{number}</a>' in html
    # The demo gives Hoa Ban a snippet for the same number as School.hotline: printed once.
    assert html.count('href="tel:0000000111"') == 1
    assert "0000 000 211" not in html  # Suối Mây's line
    assert "Trường THCS Hoa Ban (trường minh họa)" in html
    assert "Bản Minh Họa, xã Thử Nghiệm (địa chỉ giả định)" in html
    assert "0000 000 101" in html  # the school's phone


def test_demo_school_qr_code_leads_to_its_live_hotline_notice(client, demo_data):
    response, html = poster(client, "HB")
    assert response.context["help_url"] == HB_NOTICE
    assert svg_in(html) == segno_svg(HB_NOTICE)
    assert HB_NOTICE in html  # printed under the code for those without a camera


def test_demo_school_qr_code_falls_back_to_home_page_without_live_notice(client, demo_data):
    home = School.objects.get(code="HB").root_page
    HotlineNoticePage.objects.descendant_of(home).get().unpublish()
    response, html = poster(client, "HB")
    assert response.context["help_url"] == HB_HOME
    assert svg_in(html) == segno_svg(HB_HOME)
    assert svg_in(html) != segno_svg(HB_NOTICE)


# Built with make_school: each test adds only what it is about.


def test_111_is_featured_first_even_when_another_line_sorts_before_it(client, make_school):
    make_school("AL")
    Hotline.objects.create(
        number="0209 000 000", name="Đường dây tỉnh", scope=Hotline.Scope.PROVINCIAL, sort_order=0
    )
    response, html = poster(client, "AL")
    assert response.context["featured"].number == "111"
    assert response.context["hotlines"][0].number == "0209 000 000"
    assert html.index('href="tel:111"') < html.index('href="tel:0209000000"')
    assert html.index('href="tel:111"') < html.index("poster__lines")


def test_school_hotline_is_added_when_no_snippet_lists_it(client, make_school):
    make_school("AL", hotline="0000 000 123")
    response, html = poster(client, "AL")
    last = response.context["hotlines"][-1]
    assert (last.number, last.scope) == ("0000 000 123", Hotline.Scope.SCHOOL)
    assert html.count('href="tel:0000000123"') == 1


def test_school_hotline_already_listed_in_another_format_is_not_printed_twice(client, make_school):
    school = make_school("AL", hotline="0000 000 123")
    Hotline.objects.create(
        number="0000.000.123", name="Tổ tư vấn", scope=Hotline.Scope.SCHOOL, school=school
    )
    _response, html = poster(client, "AL")
    assert html.count('href="tel:0000000123"') == 1
    assert "Tổ tư vấn" in html


def test_other_schools_snippets_and_inactive_lines_are_left_off(client, make_school):
    make_school("AL")
    other = make_school("SM")
    Hotline.objects.create(
        number="0000 000 999", name="Suối Mây", scope=Hotline.Scope.SCHOOL, school=other
    )
    Hotline.objects.filter(number="114").update(active=False)
    _response, html = poster(client, "AL")
    assert "0000 000 999" not in html
    assert 'href="tel:114"' not in html
    assert 'href="tel:115"' in html


def test_live_notice_under_the_school_is_the_qr_target(client, make_school):
    school = make_school("AL")
    add_notice(school)
    url = "http://testserver/truong-al/duong-day-nong/"
    response, html = poster(client, "AL")
    assert response.context["help_url"] == url
    assert svg_in(html) == segno_svg(url)


def test_draft_or_other_schools_or_site_wide_notice_is_not_the_qr_target(client, make_school):
    school = make_school("AL")
    add_notice(school, live=False)
    add_notice(make_school("SM"))
    Site.objects.get(is_default_site=True).root_page.add_child(
        instance=HotlineNoticePage(title="Đường dây nóng", slug="duong-day-nong-chung")
    )
    response, html = poster(client, "AL")
    assert response.context["help_url"] == "http://testserver/truong-al/"
    assert svg_in(html) == segno_svg("http://testserver/truong-al/")


def test_qr_svg_prints_about_4_cm_dark_on_white_without_xml_declaration(client, make_school):
    make_school("AL")
    _response, html = poster(client, "AL")
    svg = svg_in(html)
    assert "<?xml" not in html
    assert 'xmlns="http://www.w3.org/2000/svg"' not in svg
    width = float(re.search(r'<svg[^>]* width="([\d.]+)mm"', svg).group(1))
    assert 35 <= width <= 45
    assert 'stroke="#000"' in svg
    assert 'fill="#fff"' in svg


@pytest.mark.parametrize("length", [20, 60, 120, 250])
def test_qr_stays_near_4_cm_for_short_and_long_urls(length):
    url = "https://example.vn/" + "a" * length
    width = float(re.search(r'width="([\d.]+)mm"', qr_svg(url)).group(1))
    assert 35 <= width <= 45


def test_unknown_school_code_is_404(client, make_school):
    make_school("AL")
    assert client.get("/ap-phich/XX/").status_code == 404


def test_school_without_home_page_still_gets_a_poster_without_qr(client, make_school):
    make_school("AL")
    School.objects.filter(code="AL").update(root_page=None)
    response, html = poster(client, "AL")
    assert response.context["qr_svg"] is None
    assert "<svg" not in html
    assert 'href="tel:111"' in html


def test_poster_is_standalone_with_print_button_and_no_inline_script_or_style(client, make_school):
    make_school("AL")
    _response, html = poster(client, "AL")
    assert '<html lang="vi">' in html
    assert 'href="/static/css/poster.css"' in html
    assert 'src="/static/js/print.js"' in html
    assert re.search(r"<button[^>]*\bdata-print\b", html)
    assert "site-header" not in html  # base.html is not extended
    assert " style=" not in html
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []


def test_poster_follows_the_chosen_language(client, make_school):
    make_school("AL")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _response, html = poster(client, "AL")
    assert '<html lang="en">' in html


def test_print_css_is_a4_and_keeps_the_list_together():
    css = open(finders.find("css/poster.css"), encoding="utf-8").read()  # noqa: SIM115
    assert "size: A4" in css
    assert "@media print" in css
    assert "break-inside: avoid" in css
    assert finders.find("js/print.js") is not None
