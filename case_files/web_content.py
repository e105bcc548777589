"""Web content (HTML, script, SVG with script) found anywhere in a file, read in chunks.

A file that a browser, a mail client or an Office add-in could take for a web
page is refused even when it also is a valid PDF, photo or Word file: a
polyglot's HTML is usually put *after* the first kilobyte, where a check of the
start alone never looks. So the whole file is searched, in windows that overlap
by more than the longest match, so a marker split across two windows is still
seen and no copy of the whole file is made: an in-memory file is searched
through zero-copy ``memoryview`` windows, a stream (an unpacked DOCX part) chunk
by chunk, keeping only the overlap.

Two sets of markers: every marker for PDF and images, where none of them has a
legitimate reason to be there; only element markers (``<script``, ``<html``,
``<iframe``, ``<?php``, ``<svg`` with a script or an event handler) inside a
DOCX, whose XML text can legitimately spell ``javascript:`` (a computing
lesson) and whose links are judged by their relationships instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["ALL_MARKERS", "ELEMENT_MARKERS", "OVERLAP", "WebContentScanner", "has_web_content"]

# How far after ``<svg`` a script or an event handler still counts as the SVG's.
SVG_WINDOW = 4096
# Longer than any match of the patterns below, so a window boundary never hides one.
OVERLAP = 2 * SVG_WINDOW
CHUNK = 1024 * 1024

_ELEMENTS = (
    rb"<script[\s>/]"
    rb"|<html[\s>]"
    rb"|<iframe[\s>/]"
    rb"|<\?php\s"
    rb"|<svg(?=[\s>])[\s\S]{0,%d}?(?:<script|\son[a-z]{3,20}\s*=|javascript:|<foreignObject)"
    % SVG_WINDOW
)
_OTHERS = rb"|<body[\s>]|<object[\s>]|<embed[\s>/]|<meta\s+http-equiv|javascript:|vbscript:"

ELEMENT_MARKERS = re.compile(_ELEMENTS, re.IGNORECASE)
ALL_MARKERS = re.compile(_ELEMENTS + _OTHERS, re.IGNORECASE)


def has_web_content(
    data: bytes, markers: re.Pattern[bytes] = ALL_MARKERS, *, chunk: int = CHUNK
) -> bool:
    """Search ``data`` window by window; each window starts ``OVERLAP`` before its chunk."""
    view = memoryview(data)
    for start in range(0, len(view), chunk):
        if markers.search(view[max(0, start - OVERLAP) : start + chunk]):
            return True
    return False


class WebContentScanner:
    """The same search over a stream: feed chunks as they are read, ask ``found``."""

    def __init__(self, markers: re.Pattern[bytes] = ALL_MARKERS) -> None:
        self.markers = markers
        self.tail = b""
        self.found = False

    def feed(self, chunk: bytes) -> bool:
        if self.found or not chunk:
            return self.found
        window = self.tail + chunk
        self.found = bool(self.markers.search(window))
        self.tail = window[-OVERLAP:]
        return self.found

    def feed_all(self, chunks: Iterable[bytes]) -> bool:
        for chunk in chunks:
            if self.feed(chunk):
                break
        return self.found
