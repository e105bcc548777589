"""The deployment's name, for templates outside a page (the admin's browser title)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name() -> str:
    """``WAGTAIL_SITE_NAME``: what staff call this site, in place of "Wagtail"."""
    return settings.WAGTAIL_SITE_NAME
