"""The printable hotline poster (niêm yết số điện thoại đường dây nóng) of a school.

Schools must post the help lines where pupils see them; this gives each school an
A4 sheet built from the same Hotline snippets as the site, so a number edited once
is right on the next print too.
"""

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from wagtail.models import Page

from pages.models import Hotline, HotlineNoticePage
from pages.models.base import only_public
from pages.models.hotlines import help_lines
from pages.text import dial_number
from schools.models import School

CHILD_PROTECTION_LINE = "111"

# About 4 cm on paper: big enough for an old phone camera at arm's length, small
# enough to leave the sheet to the numbers.
QR_SIZE_MM = 40
QR_ERROR = "m"
QR_SVG_OPTIONS = {"border": 4, "unit": "mm", "dark": "#000", "light": "#fff"}


def help_page_for(school: School) -> Page | None:
    """Where the poster's QR code leads: the school's hotline notice, else its home page.

    Only a live, public notice counts: a pupil scanning the code must not land on a
    draft's 404 or a password prompt.
    """
    if school.root_page is None:
        return None
    notice = (
        only_public(HotlineNoticePage.objects.live().descendant_of(school.root_page))
        .order_by("depth", "path")
        .first()
    )
    return notice or school.root_page


def qr_scale(qr: segno.QRCode) -> float:
    """Millimetres per module giving about QR_SIZE_MM, in quarter millimetres.

    Quarters are exact binary fractions, so the SVG's width and height stay short
    numbers instead of 40.199999999999996mm.
    """
    width, _height = qr.symbol_size(scale=1, border=QR_SVG_OPTIONS["border"])
    return max(0.5, round(QR_SIZE_MM / width * 4) / 4)


def qr_svg(url: str) -> str:
    """An inline SVG QR code for ``url``, sized in millimetres for print.

    The error-correction level is fixed at M rather than boosted, so every poster
    carries the level the print guidance asks for.
    """
    qr = segno.make(url, error=QR_ERROR, boost_error=False)
    return qr.svg_inline(scale=qr_scale(qr), **QR_SVG_OPTIONS)


def poster_hotlines(school: School) -> list[Hotline]:
    """The lines to print: the site's help lines for the school, 111 first."""
    lines = help_lines(school)
    # A stable sort keeps the editors' display order for everything after 111.
    lines.sort(key=lambda line: dial_number(line.number) != CHILD_PROTECTION_LINE)
    return lines


def hotline_poster(request: HttpRequest, code: str) -> HttpResponse:
    """An A4 poster of the help lines for the school with this code.

    A standalone page rather than a Wagtail page type, because it has nothing to
    edit: everything on it comes from the school and the Hotline snippets.
    """
    school = get_object_or_404(School.objects.select_related("root_page"), code=code)
    lines = poster_hotlines(school)
    featured = None
    if lines and dial_number(lines[0].number) == CHILD_PROTECTION_LINE:
        featured, lines = lines[0], lines[1:]

    help_page = help_page_for(school)
    page_url = help_page.get_url(request) if help_page is not None else None
    help_url = request.build_absolute_uri(page_url) if page_url else None
    # Safe to mark: segno generated every character of it from a URL it encoded
    # as QR modules; no part of the URL is copied into the markup as text.
    qr = mark_safe(qr_svg(help_url)) if help_url else None

    return render(
        request,
        "pages/hotline_poster.html",
        {
            "school": school,
            "featured": featured,
            "hotlines": lines,
            "help_url": help_url,
            "qr_svg": qr,
        },
    )
