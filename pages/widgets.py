"""The admin's slug field, spelling Vietnamese titles the way the server does."""

from wagtail.admin.widgets import SlugInput

from pages.text import slug_formatters


class VietnameseSlugInput(SlugInput):
    """Wagtail's slug input, transliterating Vietnamese letters before its own clean-up.

    Registered for every ``SlugField`` in Wagtail's admin forms (``PagesConfig.ready``),
    so a page's live slug, a topic's and an audience's all read "tuan-le", not "tun-l".
    Written against Wagtail 8.0's ``w-slug`` controller, which applies ``formatters``
    before slugifying; ``tests/e2e/test_admin_slug.py`` types a title and reads the slug.
    """

    def __init__(self, attrs: dict | None = None, formatters=None, locale=None) -> None:
        super().__init__(attrs, formatters=formatters or slug_formatters(), locale=locale)
