"""The admin's own user guides, which replace Wagtail's "Help" links.

Wagtail's help menu points to its English editor guide and release notes on the
web; a teacher in a mountain district needs a short guide in Vietnamese to the
screens this site actually has, readable offline from the admin. A guide is a
page of prose, so it is written once per language as a template
(``guides/<language>/<slug>.html``) rather than cut into hundreds of gettext
strings; Vietnamese is the fallback for a language without its own text.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

FALLBACK_LANGUAGE = "vi"
LANGUAGES_WRITTEN = ("vi", "en")


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str | Promise
    order: int

    def template_name(self, language: str | None = None) -> str:
        """The guide's text in ``language`` (the active one by default), else Vietnamese."""
        language = (language or get_language() or FALLBACK_LANGUAGE).split("-")[0]
        if language not in LANGUAGES_WRITTEN:
            language = FALLBACK_LANGUAGE
        return f"guides/{language}/{self.slug}.html"


GUIDES: tuple[Guide, ...] = (
    Guide("bien-tap", _("Guide for editors"), 100),
    Guide("ho-so", _("Guide for case workers"), 200),
    Guide("hieu-truong", _("Guide for principals"), 300),
)


def guide_by_slug(slug: str) -> Guide | None:
    return next((guide for guide in GUIDES if guide.slug == slug), None)


# The guide a role reads first, in order of the decisions the role carries.
FIRST_GUIDE_OF_ROLE = (("principal", "hieu-truong"), ("case_worker", "ho-so"))


def guide_for(user) -> Guide:
    """The guide the dashboard offers ``user``: the principal's, the case worker's, or editing."""
    from schools.models import Membership

    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    slug = next((slug for role, slug in FIRST_GUIDE_OF_ROLE if role in roles), "bien-tap")
    return guide_by_slug(slug)
