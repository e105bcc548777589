"""A pytest plugin: the whole run fails if a test learner's name reached any log.

Case data about children must never be written to a log (docs/ARCHITECTURE.md,
"Error reports blind to the admin"): logs are kept for months and read by whoever
looks after the server. A test can check one screen; this plugin checks every
screen the suite touches. For the whole
session it watches every log record that a logging handler accepts (any logger,
named or root, ``django.request``, ``django.server``, ``django.security`` and
the rest, propagating or not), including exception text and stack information,
plus every warning pytest records. At the end of the session it prints which
learner name appeared in which logger during which test, and turns the exit
status into a failure.

Why at the handler and not where a record is made: a handler's filters decide
what is written. ``config.error_reports.RedactStaffExceptions`` replaces a
staff request's exception message before the console handler writes it, so the
text scanned is the text written. ``AdminEmailHandler`` is the exception: its
mail body is built by the exception reporter from ``exc_info`` (tested in
``tests/config/test_error_reports.py``), so only its subject line, the
record's message, is scanned. pytest's own capture handlers are not logs.

The names are read from the sources, not imported, so the plugin needs neither
Django nor the database and picks up a name a new test uses without being told:
``learner_name=`` arguments, ``"learner_name"`` keys, ``.learner_name``
assignments and comparisons, and upper-case constants such as ``LEARNER_NAME``
or ``CHILD`` in ``tests/``, ``bench/`` and the demo cases of
``forms_app/management/commands/load_demo_cases.py``. A name is found with or
without diacritics, in any letter case, and URL-encoded (``%C4%90%E1%BB%97+...``).

Registered in ``tests/conftest.py`` (``pytest_plugins``). Every pytest process
scans its own run, so the parallel SQLite and PostgreSQL runs of
``bin/run-tests`` each fail on their own.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import logging
import os
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote_plus

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Where the names tests and demo data use are written.
SOURCES = (
    ROOT / "tests",
    ROOT / "bench",
    ROOT / "forms_app" / "management" / "commands" / "load_demo_cases.py",
)
# Upper-case constants that hold a learner's name by the project's naming habit.
CONSTANT_NAME = re.compile(r"(?:[A-Z_]*(?:LEARNER|CHILD)[A-Z_]*|NAME)")
# pytest's own capture handlers hold records for reports; they write no log.
PYTEST_HANDLERS = {"LogCaptureHandler", "_LiveLoggingNullHandler", "_LiveLoggingStreamHandler"}
# Its mail body comes from the exception reporter, not from the record's exception.
MESSAGE_ONLY_HANDLERS = {"AdminEmailHandler"}


def fold(text: str) -> str:
    """``text`` lower-cased, without diacritics, đ as d: how names are compared."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def _looks_like_a_name(parts: list[str | None]) -> bool:
    """At least two words, starting with a capital: "Đỗ Thị Ánh Tuyết", not "7A" or "x"."""
    literal = " ".join(part for part in parts if part)
    words = literal.split()
    return len(words) + parts.count(None) >= 2 and literal[:1].isupper()


def _string_parts(node: ast.AST) -> list[str | None] | None:
    """A string literal as its parts; an f-string's placeholders as None. Else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [value.value if isinstance(value, ast.Constant) else None for value in node.values]
    return None


def _is_learner_name_key(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.endswith("learner_name")
    )


def names_in_source(source: str) -> list[list[str | None]]:
    """The learner names a Python source writes down, each as its literal parts."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "learner_name":
            found.append(node.value)
        elif isinstance(node, ast.Dict):
            found.extend(
                value
                for key, value in zip(node.keys, node.values, strict=True)
                if key is not None and _is_learner_name_key(key)
            )
        elif isinstance(node, ast.Call) and len(node.args) == 2:
            # learner.setdefault("learner_name", "Phạm Minh Khôi")
            if _is_learner_name_key(node.args[0]):
                found.append(node.args[1])
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (isinstance(target, ast.Name) and CONSTANT_NAME.fullmatch(target.id)) or (
                    isinstance(target, ast.Attribute) and target.attr == "learner_name"
                ):
                    found.append(node.value)
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Attribute) and s.attr == "learner_name" for s in sides):
                found.extend(sides)
    names = []
    for value in found:
        parts = _string_parts(value) if value is not None else None
        if parts and _looks_like_a_name(parts):
            names.append(parts)
    return names


def _python_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.py"))
        elif path.suffix == ".py" and path.exists():
            yield path


@dataclasses.dataclass(frozen=True)
class Name:
    """A name to look for: as written, and as a pattern over folded text."""

    written: str
    pattern: re.Pattern


def _pattern(parts: list[str | None]) -> re.Pattern:
    pieces = []
    for part in parts:
        if part is None:
            pieces.append(r"\S+?")
        else:
            words = fold(part).split()
            piece = r"[\s_]+".join(re.escape(word) for word in words)
            if part[:1].isspace() and pieces:
                piece = r"[\s_]+" + piece
            if part[-1:].isspace():
                piece += r"[\s_]+"
            pieces.append(piece)
    return re.compile(r"(?<![0-9a-z])" + "".join(pieces) + r"(?![0-9a-z])")


def learner_names(paths: Iterable[Path] = SOURCES) -> list[Name]:
    """Every learner name the sources under ``paths`` use, once each."""
    seen: dict[str, Name] = {}
    for file in _python_files(paths):
        if Path(__file__).resolve() == file.resolve():
            continue  # this plugin's own examples
        for parts in names_in_source(file.read_text(encoding="utf-8")):
            written = "".join(part if part is not None else "{…}" for part in parts)
            key = fold(" ".join(written.split()))
            if key not in seen:
                seen[key] = Name(written=" ".join(written.split()), pattern=_pattern(parts))
    return list(seen.values())


def _forms(text: str) -> Iterator[str]:
    """``text`` folded, and folded again as it reads URL-decoded."""
    yield fold(text)
    if "%" in text or "+" in text:
        decoded = unquote_plus(text)
        if decoded != text:
            yield fold(decoded)


def find_names(text: str, names: Iterable[Name]) -> list[str]:
    """The names (as written) that occur in ``text``, in any letter case, with or without marks."""
    forms = list(_forms(text))
    return [name.written for name in names if any(name.pattern.search(form) for form in forms)]


def record_text(record: logging.LogRecord, handler: logging.Handler | None = None) -> str:
    """What a handler writes of ``record``: its message, exception text and stack."""
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: the raw parts are what a handler would show
        message = f"{record.msg!r} {record.args!r}"
    parts = [message]
    if handler is None or type(handler).__name__ not in MESSAGE_ONLY_HANDLERS:
        if record.exc_text:
            parts.append(record.exc_text)
        elif record.exc_info and record.exc_info[0] is not None:
            parts.append(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            parts.append(record.stack_info)
    return "\n".join(parts)


@dataclasses.dataclass(frozen=True)
class Hit:
    name: str
    logger: str
    handler: str
    test: str
    excerpt: str


class LogScan:
    """Watches what logging handlers write and keeps every line that names a learner."""

    def __init__(self, names: list[Name]) -> None:
        self.names = names
        self.hits: list[Hit] = []
        self.current_test = "(outside a test: collection, set-up or tear-down of the session)"
        self._listeners: list[list[tuple[str, str]]] = []
        self._original_handle = None
        self._lock = threading.Lock()

    # Installing ---------------------------------------------------------------

    def install(self) -> None:
        if self._original_handle is not None:
            return
        original = logging.Handler.handle
        scan = self

        def handle(handler: logging.Handler, record: logging.LogRecord):
            result = original(handler, record)
            if result:
                scan.seen(handler, result if isinstance(result, logging.LogRecord) else record)
            return result

        self._original_handle = original
        logging.Handler.handle = handle

    def uninstall(self) -> None:
        if self._original_handle is not None:
            logging.Handler.handle = self._original_handle
            self._original_handle = None

    # Scanning -----------------------------------------------------------------

    def seen(self, handler: logging.Handler, record: logging.LogRecord) -> None:
        handler_name = type(handler).__name__
        if handler_name in PYTEST_HANDLERS or getattr(handler, "baseFilename", "") == os.devnull:
            return
        try:
            text = record_text(record, handler)
        except Exception:  # the scan must never break the code under test
            return
        for listener in self._listeners:
            listener.append((record.name, text))
        # One scan per record and text: the same record goes through several handlers.
        scanned = record.__dict__.setdefault("_log_scan_texts", set())
        if text in scanned:
            return
        scanned.add(text)
        self.scan(text, logger=record.name, handler=handler_name)

    def scan(self, text: str, *, logger: str, handler: str) -> None:
        for name in find_names(text, self.names):
            with self._lock:
                self.hits.append(
                    Hit(
                        name=name,
                        logger=logger,
                        handler=handler,
                        test=self.current_test,
                        excerpt=" ".join(text.split())[:300],
                    )
                )

    @contextlib.contextmanager
    def capturing(self) -> Iterator[list[tuple[str, str]]]:
        """Every (logger, text) a handler writes inside the block, names or not."""
        lines: list[tuple[str, str]] = []
        self._listeners.append(lines)
        try:
            yield lines
        finally:
            self._listeners.remove(lines)

    def report(self) -> list[str]:
        lines = [
            f"{len(self.hits)} log line(s) named a test learner; case data must never be logged:"
        ]
        for hit in self.hits:
            lines.append(
                f"- {hit.name!r} in logger {hit.logger!r} (handler {hit.handler}) "
                f"during {hit.test}: {hit.excerpt}"
            )
        return lines


_scan: LogScan | None = None


def active_scan() -> LogScan:
    """The scan of this pytest session (for tests that look at what one request logs)."""
    if _scan is None:
        raise RuntimeError("tests.log_scan is not registered as a pytest plugin")
    return _scan


# pytest hooks -------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--no-log-scan",
        action="store_true",
        default=False,
        help="Do not fail the run when a test learner's name reaches a log (tests/log_scan.py).",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    global _scan
    if config.getoption("--no-log-scan", default=False):
        return
    _scan = LogScan(learner_names())
    _scan.install()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem):
    if _scan is not None:
        _scan.current_test = item.nodeid
    try:
        return (yield)
    finally:
        if _scan is not None:
            _scan.current_test = "(between tests)"


def pytest_warning_recorded(warning_message, when: str, nodeid: str, location) -> None:
    if _scan is not None:
        _scan.scan(
            str(warning_message.message),
            logger=f"warnings ({warning_message.category.__name__})",
            handler="pytest",
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    quiet = (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED)
    if _scan is not None and _scan.hits and session.exitstatus in quiet:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if _scan is None or not _scan.hits:
        return
    terminalreporter.write_sep("=", "learner names in the logs", red=True, bold=True)
    for line in _scan.report():
        terminalreporter.write_line(line)


def pytest_unconfigure(config: pytest.Config) -> None:
    global _scan
    if _scan is not None:
        _scan.uninstall()
        _scan = None
