"""Page addresses from Vietnamese titles keep every letter, in the browser and on the server."""

import re

import pytest

from pages.models import StandardPage
from pages.text import fold, slug_formatters, slugify
from pages.widgets import VietnameseSlugInput

# Every letter of the Vietnamese alphabet with every tone mark, both cases.
VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


def vietnamese_letters() -> list[str]:
    import unicodedata

    letters = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES]
    letters += ["đ"]
    return letters + [letter.upper() for letter in letters]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Tuần lễ an toàn trên mạng", "tuan-le-an-toan-tren-mang"),
        ("Đường dây nóng của trường", "duong-day-nong-cua-truong"),
        ("Phòng, chống bạo lực học đường", "phong-chong-bao-luc-hoc-duong"),
        ("Kế hoạch năm học 2025–2026", "ke-hoach-nam-hoc-2025-2026"),
    ],
)
def test_slugify_transliterates_vietnamese(title, slug):
    assert slugify(title) == slug


@pytest.mark.django_db
def test_page_without_slug_gets_its_title_transliterated(make_school):
    home = make_school("SL").root_page
    page = home.add_child(instance=StandardPage(title="Tuần lễ an toàn trên mạng cho học sinh"))
    assert page.slug == "tuan-le-an-toan-tren-mang-cho-hoc-sinh"
    other = home.add_child(instance=StandardPage(title="Đội tư vấn"))
    assert other.slug == "doi-tu-van"


def test_admin_slug_formatters_spell_each_letter_as_the_server_does():
    """The browser runs these replacements, then drops what is not ASCII; nothing may be lost."""
    for letter in vietnamese_letters():
        spelled = letter
        for pattern, replacement in slug_formatters():
            spelled = re.sub(pattern, replacement, spelled)
        assert spelled.lower() == fold(letter), letter


def test_admin_slug_formatters_keep_years_apart():
    spelled = "2025–2026"
    for pattern, replacement in slug_formatters():
        spelled = re.sub(pattern, replacement, spelled)
    assert spelled == "2025-2026"


def test_admin_slug_input_carries_the_formatters():
    html = VietnameseSlugInput().render("slug", "")
    assert 'data-controller="w-slug"' in html
    assert "data-w-slug-formatters-value" in html
    assert "ầ" in html or "\\u1ea7" in html
