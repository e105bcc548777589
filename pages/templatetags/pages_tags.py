from django import template
from django.conf import settings
from wagtail.models import Page, Site

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
def school_for_page(context: template.Context, page: Page | None) -> School | None:
    """The school whose section contains ``page`` (the nearest one), or None.

    Without a page, the school whose home is the current site's root, if any.
    Memoised on the request (``pages.models.base.school_for``): the header, the
    body and the footer all ask.
    """
    request = context.get("request")
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
    """Live, public children of ``root`` marked "show in menus", in tree order."""
    if root is None:
        return []
    cache = _request_cache(context, "_menu_pages")
    if root.pk not in cache:
        cache[root.pk] = list(only_public(root.get_children().live().in_menu()))
    return cache[root.pk]


@register.simple_tag
def quick_exit_url() -> str:
    """Where the quick-exit button sends a visitor (settings.QUICK_EXIT_URL)."""
    return settings.QUICK_EXIT_URL


@register.filter
def tel_href(number: str) -> str:
    """Digits (and a leading +) for a ``tel:`` link."""
    return dial_number(number)


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
