"""Text helpers for Vietnamese: search without diacritics and page addresses."""

import re
import unicodedata
from functools import cache

from django.utils.text import slugify as django_slugify


def fold(text: str | None) -> str:
    """Lower-case ``text`` without Vietnamese diacritics, whatever its Unicode form.

    "Bạo lực học đường" typed on a phone (precomposed, NFC) or pasted from a
    document (decomposed, NFD) and "bao luc hoc duong" typed without a Vietnamese
    keyboard all fold to "bao luc hoc duong". "đ" has no decomposition, so it is
    mapped explicitly.
    """
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


# Dashes between words or years ("2025–2026"), which slugify would drop, joining them.
_DASHES = "[\u2010-\u2015\u2212]"


def slugify(text: str | None) -> str:
    """A page address from a Vietnamese title: "Tuần lễ an toàn" → "tuan-le-an-toan".

    Django's ``slugify`` keeps only ASCII and drops "đ" (it has no decomposition),
    so the title is folded first: every letter keeps its base letter. A dash
    becomes a hyphen, so "2025–2026" stays two years.
    """
    return django_slugify(re.sub(_DASHES, "-", fold(text)))


# The Latin letters with diacritics (Latin-1 Supplement to Latin Extended-B, and
# Latin Extended Additional, where most Vietnamese letters with a tone mark live).
_LATIN_RANGES = ((0x00C0, 0x024F), (0x1E00, 0x1EFF))


@cache
def slug_formatters() -> tuple[tuple[str, str], ...]:
    """``fold`` as regex replacements, for the admin's live slug field.

    Wagtail's ``w-slug`` controller drops any letter missing from its
    transliteration maps, which have no Vietnamese ("Tuần" became "tun"); it runs
    these replacements first. They are derived from ``fold`` so that the browser and
    the server spell a title's address the same way.
    """
    letters: dict[str, list[str]] = {}
    for start, end in _LATIN_RANGES:
        for char in map(chr, range(start, end + 1)):
            base = fold(char)
            if char.isalpha() and len(base) == 1 and base.isascii() and base.isalpha():
                letters.setdefault(base, []).append(char)
    spelled = [(f"[{''.join(chars)}]", base) for base, chars in sorted(letters.items())]
    return (*spelled, (_DASHES, "-"))


def dial_number(number: str | None) -> str:
    """Digits (and a leading +) to dial: "0209 3 812 345" → "02093812345".

    Used for ``tel:`` links and to tell whether two written forms are one line.
    """
    number = (number or "").strip()
    digits = re.sub(r"\D", "", number)
    return f"+{digits}" if number.startswith("+") else digits
