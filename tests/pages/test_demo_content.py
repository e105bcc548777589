"""The demo's public content reads as a school would publish it."""

import pytest

from pages.text import slugify
from schools.models import School

pytestmark = pytest.mark.django_db


def _is_subsequence(words: list[str], of: list[str]) -> bool:
    remaining = iter(of)
    return all(word in remaining for word in words)


def test_demo_slugs_are_their_titles_transliterated(demo_data):
    """Each word of a demo page's address is a whole word of its title, in order.

    A section may be shorter than its title ("ke-hoach" for "Kế hoạch và văn bản"),
    but no word may lose a letter ("tun-l") or come from nowhere.
    """
    for school in School.objects.select_related("root_page"):
        for page in school.root_page.get_descendants():
            title_words = slugify(page.title).split("-")
            assert _is_subsequence(page.slug.split("-"), title_words), (page.slug, page.title)
