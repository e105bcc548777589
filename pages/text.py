"""Text helpers for Vietnamese search."""

import re
import unicodedata


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


def dial_number(number: str | None) -> str:
    """Digits (and a leading +) to dial: "0209 3 812 345" → "02093812345".

    Used for ``tel:`` links and to tell whether two written forms are one line.
    """
    number = (number or "").strip()
    digits = re.sub(r"\D", "", number)
    return f"+{digits}" if number.startswith("+") else digits
