import re

from django import template
from wagtail.models import Page

from schools.models import School

register = template.Library()


@register.simple_tag(takes_context=True)
def school_for_page(context: template.Context, page: Page | None) -> School | None:
    """The school whose section contains ``page`` (the nearest one), or None.

    Works out the school from the tree rather than the host name, so a school's
    section shows its own hotline whether it is reached through its own domain or
    as a part of the district portal. Memoised on the request: the header and the
    body both ask.
    """
    if page is None or not getattr(page, "path", None):
        return None
    request = context.get("request")
    cache = getattr(request, "_school_for_path", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._school_for_path = cache
    if page.path not in cache:
        cache[page.path] = School.objects.for_page(page)
    return cache[page.path]


@register.filter
def tel_href(number: str) -> str:
    """Digits (and a leading +) for a ``tel:`` link: "0209 3 812 345" → "02093812345"."""
    number = (number or "").strip()
    digits = re.sub(r"\D", "", number)
    return f"+{digits}" if number.startswith("+") else digits
