"""Web content (HTML, script, SVG with script) found anywhere in a file, read in chunks.

A file that a browser, a mail client or an Office add-in could take for a web
page is refused even when it also is a valid PDF, photo or Word file: a
polyglot's HTML is usually put *after* the first kilobyte, where a check of the
start alone never looks. So the whole file is searched, in windows that overlap
by more than the longest match, so a marker split across two windows is still
seen, and no copy of the whole file is ever made: an in-memory file is cut into
``memoryview`` windows of 1 MB, a stream (an unpacked DOCX part) is searched
chunk by chunk, keeping only the overlap.

Two sets of markers: every marker for PDF and images, where none of them has a
legitimate reason to be there; only element markers (``<script``, ``<html``,
``<iframe``, ``<?php``, SVG with a script, a handler or a ``javascript:``
link) inside a DOCX, whose XML text can legitimately spell ``javascript:`` (a computing
lesson) and whose links are judged by their relationships instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "ALL_MARKERS",
    "ELEMENT_MARKERS",
    "OVERLAP",
    "Markers",
    "WebContentScanner",
    "has_web_content",
]

# The longest match below is an element's tag (at most 1 KB before its event
# handler); the overlap is longer, so a window boundary never hides a match.
OVERLAP = 2048
CHUNK = 1024 * 1024

# Every repetition is bounded and an element's attributes stop at the next ``<``
# or ``>``, so a file made of half-markers cannot make the search slow.
_ELEMENTS = (
    rb"<script[\s>/]"
    rb"|<html[\s>]"
    rb"|<iframe[\s>/]"
    rb"|<\?php\s"
    # SVG with script: an event handler on an SVG (or HTML image) element, or a
    # javascript: address in an href; a <script> inside it is caught above.
    rb"|<(?:svg|image|img|animate|animateMotion|animateTransform|set|use|foreignObject)"
    rb"(?=[\s/>])[^<>]{0,1024}?\son[a-z]{3,20}\s{0,20}="
    rb"|href\s{0,20}=\s{0,20}[\"']?\s{0,20}javascript:"
)
_OTHERS = rb"|<body[\s>]|<object[\s>]|<embed[\s>/]|<meta\s{1,20}http-equiv|javascript:|vbscript:"


class Markers:
    """A pattern and the lower-case words every match of it starts with (or contains).

    Python's ``re`` reads a few MB a second through an alternation, so a window
    is first lower-cased (one fast C copy of the window, not of the file) and
    searched for the plain words; only a window holding one meets the pattern.
    A match always contains one of the words, so this never misses one.
    """

    def __init__(self, pattern: bytes, anchors: tuple[bytes, ...]) -> None:
        self.pattern = re.compile(pattern, re.IGNORECASE)
        self.anchors = anchors

    def search(self, window: bytes | memoryview) -> bool:
        lowered = bytes(window).lower()
        if not any(anchor in lowered for anchor in self.anchors):
            return False
        return self.pattern.search(window) is not None


_ELEMENT_ANCHORS = (
    b"<script",
    b"<html",
    b"<iframe",
    b"<?php",
    b"<svg",
    b"<im",  # image, img
    b"<animate",
    b"<set",
    b"<use",
    b"<foreignobject",
    b"javascript:",
)
_OTHER_ANCHORS = (b"<body", b"<object", b"<embed", b"<meta", b"vbscript:")

ELEMENT_MARKERS = Markers(_ELEMENTS, _ELEMENT_ANCHORS)
ALL_MARKERS = Markers(_ELEMENTS + _OTHERS, _ELEMENT_ANCHORS + _OTHER_ANCHORS)


def has_web_content(data: bytes, markers: Markers = ALL_MARKERS, *, chunk: int = CHUNK) -> bool:
    """Search ``data`` window by window; each window starts ``OVERLAP`` before its chunk."""
    view = memoryview(data)
    for start in range(0, len(view), chunk):
        if markers.search(view[max(0, start - OVERLAP) : start + chunk]):
            return True
    return False


class WebContentScanner:
    """The same search over a stream: feed chunks as they are read, ask ``found``."""

    def __init__(self, markers: Markers = ALL_MARKERS) -> None:
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
