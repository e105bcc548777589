"""Plan text made regular before recognition, without changing what it says.

Text reaches the importer from Word, PDF, converters and copy-paste, each with its
own noise: decomposed Vietnamese letters (NFD from macOS), non-breaking and
zero-width spaces, tabs, "[bookmark: …]" and markdown "**" left by converters, and
sentences broken across lines (a PDF's wrapping, or a paste). The recogniser's
rules are written once against the regular form made here. Dashes are kept as
written (the editor should see the heading as the office typed it); the rules
accept every dash through ``DASH``.
"""

from __future__ import annotations

import re
import unicodedata

# Every dash an office document uses for "-": hyphen, non-breaking hyphen, figure
# dash, en dash, em dash, minus.
DASH = "-‐‑‒–—−"

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
# A bold run starting inside an all-capitals line: "UBND TP X **PHÒNG GIÁO DỤC**"
# is two lines of the header side by side in the converted file.
_BOLD_INSIDE = re.compile(r"(?<=\S) +\*\*(?=[^\W\d_])")
_POINT_START = re.compile(r"^[a-zđ]\s*\)")
_ENDS_SENTENCE = re.compile(r"(?:[.:;!?]|\./\.)\s*$")


def is_upper_line(line: str) -> bool:
    """All letters capitals (a heading, a body's name): "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"."""
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def normalise(text: str) -> list[str]:
    """``text`` as clean paragraphs, one per item of the list (blank lines dropped).

    A line that does not end a sentence is joined with the next one when that
    starts with a small letter (and is not a point "a)"), even across blank lines:
    nobody begins a paragraph in lower case, but converters and PDFs break them.
    """
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n").replace("\f", "\n")
    text = _BOOKMARK.sub("", text)
    lines: list[str] = []
    for raw in text.split("\n"):
        if "**" in raw and is_upper_line(raw):
            raw = _BOLD_INSIDE.sub("\n", raw)
        for piece in raw.split("\n"):
            line = _SPACES.sub(" ", piece.replace("**", "")).strip()
            if not line:
                continue
            if (
                lines
                and line[0].islower()
                and not _POINT_START.match(line)
                and not _ENDS_SENTENCE.search(lines[-1])
            ):
                previous = lines[-1]
                if re.search(r"\w-$", previous):  # a word hyphenated at the line's end
                    lines[-1] = previous[:-1] + line
                else:
                    lines[-1] = previous + " " + line
            else:
                lines.append(line)
    return lines
