"""What a PDF does by itself or reaches outside: found on its objects and on its raw bytes.

A PDF opened on the school's computer may run a script, start a program, fetch a
file from a network share (which hands the share the Windows sign-in hash),
open a web address, or send a form's content somewhere, all before anyone
clicks. Each of these is refused with its own reason (:data:`PRIORITY`):

* scripts anywhere (``/JavaScript``, ``/JS``, XFA forms, RichMedia/Flash);
* ``/Launch`` anywhere;
* actions that open another file or a network share (``/GoToR``, ``/GoToE``,
  ``/ImportData``, a URL file specification, a link to ``file:``, ``smb:``, a
  ``\\\\host`` path or any scheme other than web and e-mail);
* ``/SubmitForm`` anywhere (a ``/ResetForm`` that submits does so through a
  ``/Next`` ``/SubmitForm``, found the same way; a reset alone sends nothing);
* embedded files and file attachments;
* auto-actions: ``/OpenAction`` other than a plain in-document ``/GoTo`` (or a
  destination array), and any non-empty ``/AA`` (catalog, page, annotation,
  field), with a separate reason when what opens by itself is a web address.

**Clicked links are allowed**: a ``/Link`` (or an outline entry, a button)
whose action is a ``/URI`` to ``http:``, ``https:`` or ``mailto:`` does nothing
until a person clicks it, and the reader then asks before opening the browser.
Documents from the Ministry, the district and NGOs carry such links; refusing
them would send staff to print-to-PDF for no gain. The same address as an
auto-action is refused.

Two independent layers, so an attacker has to fool both:

1. **Parsed**: pypdf reads the file (``#xx`` escapes undone, object streams
   unpacked); every object reachable from the trailer *and* every object the
   cross-reference table lists (orphans too) is examined.
2. **Raw**: every name written outside a stream, and every name inside each
   object stream (unpacked here on its own, capped), with ``#xx`` undone. This
   sees the objects of earlier revisions that an incremental update replaced,
   which a reader repairing a broken file may still use.
"""

from __future__ import annotations

import io
import re
import zlib

__all__ = ["PRIORITY", "find_active_content", "parsed_codes", "raw_codes"]

SCRIPT = "pdf_script"
LAUNCH = "pdf_launch"
REMOTE = "pdf_remote"
SUBMIT = "pdf_submit"
EMBEDDED = "pdf_embedded"
AUTO_URI = "pdf_auto_uri"
AUTO = "pdf_auto_action"
DAMAGED = "pdf_damaged"
ENCRYPTED = "pdf_encrypted"

# When a file has several, the reason shown is the most dangerous one.
# (A form's submission names its address as a URL file specification, so SUBMIT
# comes before REMOTE to say what the file does rather than how.)
PRIORITY = (SCRIPT, LAUNCH, SUBMIT, REMOTE, EMBEDDED, AUTO_URI, AUTO)

# Names that make a file act wherever they appear, as keys or values.
_NAMES = {
    "/JavaScript": SCRIPT,
    "/JS": SCRIPT,
    "/XFA": SCRIPT,
    "/RichMedia": SCRIPT,
    "/RichMediaExecute": SCRIPT,
    "/Launch": LAUNCH,
    "/GoToR": REMOTE,
    "/GoToE": REMOTE,
    "/ImportData": REMOTE,
    "/SubmitForm": SUBMIT,
    "/EmbeddedFile": EMBEDDED,
    "/EmbeddedFiles": EMBEDDED,
    "/FileAttachment": EMBEDDED,
    "/EF": EMBEDDED,
}
_SAFE_SCHEMES = ("http:", "https:", "mailto:")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:")

PDF_MAX_OBJECTS = 200_000
ACTION_CHAIN_MAX = 100
OBJECT_STREAMS_MAX_BYTES = 32 * 1024 * 1024

_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]*")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM_START = re.compile(rb"stream\r?\n")
# /AA (or its #41 spellings) as a key: followed by a dictionary or a reference.
_AA_KEY = re.compile(rb"/(?:A|#41)(?:A|#41)(?=\s{0,64}<<|\s{1,64}\d{1,10}\s{1,8}\d{1,5}\s{1,8}R)")


def _unescape(name: bytes) -> str:
    return _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name).decode("latin-1")


# Raw layer -----------------------------------------------------------------------------


def _names_in(text: bytes | memoryview, found: set[str]) -> None:
    # Each distinct name once: a file of millions of names stays quick.
    for name in set(_NAME.findall(text)):
        code = _NAMES.get(_unescape(name) if b"#" in name else name.decode("latin-1"))
        if code:
            found.add(code)
    if _AA_KEY.search(text):
        found.add(AUTO)


_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/<>\[\]()%{}]+)")


def _unpack_object_stream(dictionary: bytes, body: memoryview) -> bytes | memoryview | None:
    """An object stream's content, or ``None`` if it is compressed some other way."""
    match = _FILTER.search(_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), dictionary))
    filters = [f.decode("latin-1") for f in _NAME.findall(match.group(1))] if match else []
    if not filters:
        return body
    if filters not in (["/FlateDecode"], ["/Fl"]):
        return None
    try:
        return zlib.decompressobj().decompress(body, OBJECT_STREAMS_MAX_BYTES)
    except zlib.error:
        return b""  # a broken stream holds nothing a reader could run


def raw_codes(data: bytes) -> set[str]:
    """Reasons found by name alone, outside streams and inside every object stream.

    Linear in the file: each stream's end is found once with ``find`` (a file of
    ``stream`` keywords without ``endstream`` cannot make it quadratic), and a
    stream's dictionary is looked for only between the previous stream and it.
    The file is read through a ``memoryview``, never copied whole.
    """
    found: set[str] = set()
    view = memoryview(data)
    position = 0
    unpacked_total = 0
    while match := _STREAM_START.search(data, position):
        end = data.find(b"endstream", match.end())
        if end < 0:
            break
        _names_in(view[position : match.start()], found)
        # The stream's dictionary follows the last "obj" keyword before it.
        low = max(position, match.start() - 4096)
        obj = data.rfind(b"obj", low, match.start())
        dictionary = data[(obj + 3 if obj >= 0 else low) : match.start()]
        if (b"ObjStm" in dictionary or b"#" in dictionary) and "/ObjStm" in {
            _unescape(n) for n in _NAME.findall(dictionary)
        }:
            content = _unpack_object_stream(dictionary, view[match.end() : end])
            if content is None:
                # An object stream only a rare decoder opens: nothing else hides there.
                found.add(DAMAGED)
            else:
                unpacked_total += len(content)
                if unpacked_total > OBJECT_STREAMS_MAX_BYTES:
                    found.add(DAMAGED)
                    return found
                _names_in(content, found)
        position = end + len(b"endstream")
    _names_in(view[position:], found)
    return found


# Parsed layer ----------------------------------------------------------------------------


def _uri_code(uri: object) -> str | None:
    """A clicked link's address: web and e-mail pass, a script or a file share does not."""
    text = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri)
    text = text.strip().lower()
    if text.startswith(_SAFE_SCHEMES):
        return None
    if text.startswith(_SCRIPT_SCHEMES):
        return SCRIPT
    return REMOTE


def _chain(action, resolve):
    """An action and the ones its ``/Next`` runs after it, each once."""
    from pypdf.generic import ArrayObject, DictionaryObject

    stack = [action]
    seen = 0
    while stack and seen < ACTION_CHAIN_MAX:
        item = resolve(stack.pop())
        seen += 1
        if isinstance(item, DictionaryObject):
            yield item
            if "/Next" in item:
                stack.append(item["/Next"])
        elif isinstance(item, ArrayObject):
            stack.extend(item)
        else:
            yield item


def _auto_codes(action, resolve, *, open_action: bool) -> set[str]:
    from pypdf.generic import ArrayObject, DictionaryObject

    first = resolve(action)
    if open_action and isinstance(first, ArrayObject | str | bytes):
        return set()  # a destination (page and zoom): where the reader opens, nothing more
    codes: set[str] = set()
    for item in _chain(first, resolve):
        kind = item.get("/S") if isinstance(item, DictionaryObject) else None
        if open_action and kind == "/GoTo":
            continue
        codes.add(AUTO_URI if kind == "/URI" else AUTO)
    return codes


def _dictionary_codes(obj, resolve) -> set[str]:
    from pypdf.generic import DictionaryObject

    codes: set[str] = set()
    for key in obj:
        code = _NAMES.get(str(key))
        if code:
            codes.add(code)
    for key in ("/S", "/Type", "/Subtype"):
        value = obj.get(key)
        if value is not None:
            code = _NAMES.get(str(value))
            if code:
                codes.add(code)
    if obj.get("/FS") == "/URL":
        codes.add(REMOTE)  # a file specification that is a web address
    if obj.get("/S") == "/URI":
        code = _uri_code(resolve(obj.get("/URI", "")))
        if code:
            codes.add(code)
    if "/OpenAction" in obj:
        codes |= _auto_codes(obj["/OpenAction"], resolve, open_action=True)
    if "/AA" in obj:
        additional = resolve(obj["/AA"])
        if isinstance(additional, DictionaryObject):
            for value in additional.values():
                codes |= _auto_codes(value, resolve, open_action=False)
        elif additional is not None:
            codes.add(AUTO)
    return codes


def parsed_codes(data: bytes) -> set[str]:
    """Reasons found on the parsed objects; ``pdf_damaged``/``pdf_encrypted`` when unreadable."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return {ENCRYPTED}
        len(reader.pages)  # parses the page tree: a broken file fails here

        def resolve(value):
            return value.get_object() if isinstance(value, IndirectObject) else value

        stack: list = [reader.trailer]
        # Orphans too: objects the table lists that nothing refers to.
        for generation, numbers in reader.xref.items():
            stack.extend(IndirectObject(number, generation, reader) for number in numbers)
        stack.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)

        codes: set[str] = set()
        seen: set[tuple[int, int]] = set()
        visited = 0
        while stack:
            obj = stack.pop()
            visited += 1
            if visited > PDF_MAX_OBJECTS:
                return {DAMAGED}
            if isinstance(obj, IndirectObject):
                key = (obj.idnum, obj.generation)
                if key in seen:
                    continue
                seen.add(key)
                obj = obj.get_object()
            if isinstance(obj, DictionaryObject):
                codes |= _dictionary_codes(obj, resolve)
                stack.extend(obj.values())
            elif isinstance(obj, ArrayObject):
                stack.extend(obj)
        return codes
    except Exception:  # pypdf raises many kinds on broken input; all mean "damaged"
        return {DAMAGED}


def find_active_content(data: bytes) -> str | None:
    """The one reason to refuse ``data`` (a PDF), or ``None`` if it only shows."""
    raw = raw_codes(data)
    parsed = parsed_codes(data)
    for unreadable in (ENCRYPTED, DAMAGED):
        if unreadable in parsed:
            return unreadable
    codes = raw | parsed
    for code in PRIORITY:
        if code in codes:
            return code
    if DAMAGED in codes:
        return DAMAGED
    return None
