import re

from django import template
from django.conf import settings
from django.utils.formats import get_format, localize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page, Site

from page_cache.fragments import remember
from pages.links import PageLinks
from pages.models.base import only_public, school_for
from pages.text import dial_number
from schools.models import School

register = template.Library()


def _request_cache(context: template.Context, name: str) -> dict:
    request = context.get("request")
    if request is None:
        return {}
    cache = getattr(request, name, None)
    if cache is None:
        cache = {}
        setattr(request, name, cache)
    return cache


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, page: Page) -> str | None:
    """The URL ``{% pageurl page %}`` gives, worked out once per request (``pages.links``)."""
    return PageLinks.for_request(context.get("request")).url(page)


@register.simple_tag(takes_context=True)
def school_for_page(context: template.Context, page: Page | None) -> School | None:
    """The school whose section contains ``page`` (the nearest one), or None.

    Without a page, the school the view names as ``section_school`` (a search
    from a school's pages), else the school whose home is the current site's
    root, if any. Memoised on the request (``pages.models.base.school_for``): the
    header, the body and the footer all ask.
    """
    request = context.get("request")
    if not getattr(page, "path", None) and context.get("section_school") is not None:
        return context["section_school"]
    if page is None or not getattr(page, "path", None):
        # Views without a page (search, 404) belong to the site they are served on.
        site = Site.find_for_request(request) if request is not None else None
        page = site.root_page if site else None
    return school_for(request, page)


@register.simple_tag(takes_context=True)
def section_root(context: template.Context, school: School | None) -> Page | None:
    """The page the navigation starts from: the school's home, else the site's root."""
    if school is not None and school.root_page_id:
        return school.root_page
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return site.root_page if site else None


@register.simple_tag(takes_context=True)
def menu_pages(context: template.Context, root: Page | None) -> list[Page]:
    """Live, public children of ``root`` marked "show in menus", in tree order.

    Only what a menu shows (title and URL) is read, and the list is kept until
    the next public change: every page of a section shows the same menu.
    """
    if root is None:
        return []
    cache = _request_cache(context, "_menu_pages")
    if root.pk not in cache:
        cache[root.pk] = remember(f"menu:{root.pk}", lambda: _menu(root))
    return cache[root.pk]


def _menu(root: Page) -> list[Page]:
    return list(
        only_public(root.get_children().live().in_menu()).only(
            "id", "title", "url_path", "path", "depth"
        )
    )


@register.simple_tag
def filter_options(choices, selected) -> SafeString:
    """The ``<option>`` elements of a filter select, the one in force marked selected.

    The same markup as a template loop, built in one call: a listing's selects
    have dozens of options. Values are compared as text, since the query string's
    value is text and a choice's may be a number (a year).
    """
    chosen = f"{selected}"
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (localize(value), mark_safe(" selected") if f"{value}" == chosen else "", text)
            for value, text in choices
        ),
    )


# The opening tag of rich text's first paragraph.
FIRST_PARAGRAPH = re.compile(r"\A\s*<p(?:\s[^>]*)?>")


@register.filter
def numbered(html: str, number: str) -> SafeString:
    """Rich text with ``number`` ("a)", "1.") opening its first paragraph.

    Official documents write "a) Tổ chức tuyên truyền …" on one line; rich text
    starts with its own ``<p>``, which put the number on a line of its own.
    """
    html = conditional_escape(html)  # rendered rich text is safe already; anything else is escaped
    if not number:
        return html
    opening = FIRST_PARAGRAPH.match(html)
    if opening is None:
        return format_html("<p>{}</p>{}", number, html)
    # Slices of HTML already safe, around the opening tag.
    head, rest = mark_safe(html[: opening.end()]), mark_safe(html[opening.end() :])
    return format_html("{}{} {}", head, number, rest)


@register.simple_tag
def quick_exit_url() -> str:
    """Where the quick-exit button sends a visitor (settings.QUICK_EXIT_URL)."""
    return settings.QUICK_EXIT_URL


@register.filter
def tel_href(number: str) -> str:
    """Digits (and a leading +) for a ``tel:`` link."""
    return dial_number(number)


@register.filter
def grouped(number: int) -> str:
    """A count with its thousands grouped as the language writes them ("14.809" in
    Vietnamese), without grouping every number of the site (years stay "2026")."""
    # Django's Vietnamese formats name the separator but no grouping, so
    # number_format(force_grouping=True) would still give "14809".
    return f"{int(number):,}".replace(",", get_format("THOUSAND_SEPARATOR"))


@register.filter
def filesize(document) -> str:
    """A document's size in kB or MB, or "" when the file is missing."""
    try:
        size = (
            document.get_file_size() if hasattr(document, "get_file_size") else document.file.size
        )
    except (OSError, ValueError):
        return ""
    if not size:
        return ""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} kB"


@register.filter
def extension(document) -> str:
    """The upper-case file extension of a document: PDF, DOCX…"""
    name = getattr(document, "filename", "") or ""
    return name.rsplit(".", 1)[-1].upper() if "." in name else ""
