"""The demo's public content reads as a school would publish it."""

import unicodedata

import pytest
from pypdf import PdfReader

from pages.models import SiteDocument
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


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Tờ rơi: Nói không với bạo lực học đường (HB)", "Nói không với bạo lực học đường"),
        ("Kế hoạch CTXH năm học 2025–2026 (HB) — bản ký", "Kế hoạch công tác xã hội"),
    ],
)
def test_demo_documents_keep_their_diacritics(demo_data, title, text):
    document = SiteDocument.objects.get(title=title)
    with document.file.open("rb") as pdf:
        extracted = "".join(page.extract_text() for page in PdfReader(pdf).pages)

    assert text in unicodedata.normalize("NFC", extracted)
