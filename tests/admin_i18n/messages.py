"""The English messages that must not reach a Vietnamese admin screen.

Built from the English catalogues the installed packages ship
(``<package>/locale/en/LC_MESSAGES/django.po`` and ``djangojs.po``: every msgid
the package marks for translation) and from this project's own English catalogue.
A message counts only when the running Vietnamese translation does not keep it
as it is: a message missing from the ``vi`` catalogues, or translated to
something else, is English left on the screen if it shows; one translated to
itself ("PDF") is not.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import django
import polib
from django.apps import apps
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import trans_real

PROJECT_CATALOGUE = "project"

# Single words that Vietnamese staff read as they are; listing them would only
# report noise. Keep this short: a word here is never checked anywhere.
SAME_IN_VIETNAMESE = frozenset(
    {"URL", "ID", "PDF", "Email", "E-mail", "OK", "CSV", "XLSX", "TSV", "HTML", "API", "Wagtail"}
)
# A language chooser names each language in itself ("English", "Tiếng Việt"), so
# English readers can find theirs: that name is not English left on the screen.
LANGUAGE_NAMES = frozenset({"English"})

# %(name)s, %s, %d, {name}, {0}, {}: whatever the code puts in at run time.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
LETTER = re.compile(r"[^\W\d_]")
WORD_BESIDE_PLACEHOLDER = re.compile(r"(?<![\w\x00])[^\W\d_]{2,}(?![\w\x00])")


@dataclass(frozen=True)
class Message:
    text: str
    catalogue: str
    # Vietnamese has a translation: the English on screen was evaluated too early
    # (at import time, or outside the request's language), not left untranslated.
    translated: bool = False

    def source(self, shown: str) -> str:
        """The catalogue, and what kind of finding ``shown`` is, for the report."""
        if shown != " ".join(self.text.split()):
            # Matched through placeholders: whether this message has Vietnamese says
            # nothing about the words that filled them, which may be our own English.
            return f"{self.catalogue} (as {self.text!r})"
        return f"{self.catalogue} (translated, shown early)" if self.translated else self.catalogue


def _installed_catalogues() -> list[tuple[str, Path]]:
    """(catalogue name, English .po file) of Django, each installed app, and the project."""
    found = []
    django_dir = Path(django.__file__).parent / "conf" / "locale" / "en" / "LC_MESSAGES"
    found += [("django", po) for po in sorted(django_dir.glob("*.po"))]
    for config in apps.get_app_configs():
        english = Path(config.path) / "locale" / "en" / "LC_MESSAGES"
        found += [(config.name, po) for po in sorted(english.glob("*.po"))]
    for locale_dir in settings.LOCALE_PATHS:
        english = Path(locale_dir) / "en" / "LC_MESSAGES"
        found += [(PROJECT_CATALOGUE, po) for po in sorted(english.glob("*.po"))]
    return found


def _vietnamese(entry: polib.POEntry, catalog) -> str | None:
    """The running Vietnamese translation of ``entry``, or None."""
    key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
    return catalog.get((key, 0)) if entry.msgid_plural else catalog.get(key)


def _meaningful(text: str) -> bool:
    """Long enough to be a word someone reads: three letters, or two around a placeholder
    ("By %(filter_title)s" is how modeladmin titles a filter)."""
    if text.strip() in SAME_IN_VIETNAMESE | LANGUAGE_NAMES:
        return False
    if len(LETTER.findall(PLACEHOLDER.sub("", text))) >= 3:
        return True
    # Two letters only as a word of their own beside the placeholder: "By %s" is
    # English, "{}st" (an ordinal suffix) would match any word ending in "st".
    marked = PLACEHOLDER.sub("\x00", text)
    return "\x00" in marked and bool(WORD_BESIDE_PLACEHOLDER.search(marked))


def _pattern(text: str) -> str:
    parts = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        parts.append(re.escape(text[position : match.start()].replace("%%", "%")))
        parts.append(".+?")
        position = match.end()
    parts.append(re.escape(text[position:].replace("%%", "%")))
    return "".join(parts)


class EnglishMessages:
    """Tells whether a string seen on a screen is an English message left untranslated."""

    def __init__(self, messages: list[Message]) -> None:
        self.literal: dict[str, Message] = {}
        self.patterns: list[tuple[re.Pattern, Message]] = []
        for message in messages:
            text = " ".join(message.text.split())
            if PLACEHOLDER.search(text):
                self.patterns.append((re.compile(_pattern(text), re.DOTALL), message))
            else:
                self.literal.setdefault(text, message)
        # One alternation answers "any pattern?" in one pass; the loop that names
        # the catalogue runs only on the rare hit.
        self._any = re.compile(
            "|".join(f"(?:{p.pattern})" for p, _ in self.patterns) or "(?!)", re.DOTALL
        )
        self._seen: dict[str, Message | None] = {}

    def __len__(self) -> int:
        return len(self.literal) + len(self.patterns)

    def message_of(self, text: str) -> Message | None:
        """The English message ``text`` is, if Vietnamese does not keep it as it is."""
        if text in self._seen:
            return self._seen[text]
        found = self.literal.get(text)
        if found is None and self._any.fullmatch(text):
            found = next(m for p, m in self.patterns if p.fullmatch(text))
        self._seen[text] = found
        return found


MODEL_FIELDS = "project models (no verbose_name)"


def _unnamed_fields() -> list[Message]:
    """The labels Django makes up from the field names of our models ("created at").

    A field without a ``verbose_name`` is labelled with its name in English, which
    no catalogue holds; the admin shows it on forms, lists and the case page.
    """
    root = Path(settings.BASE_DIR).resolve()
    found = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if root not in path.parents or ".venv" in path.parts:
            continue
        for model in config.get_models():
            for field in model._meta.local_fields + model._meta.local_many_to_many:
                label = field.verbose_name
                if isinstance(label, str) and field.name != "id" and _meaningful(label):
                    found += [Message(label, MODEL_FIELDS), Message(capfirst(label), MODEL_FIELDS)]
    return found


def english_messages() -> EnglishMessages:
    """Every message of the installed catalogues that Vietnamese does not keep as it is."""
    catalogs = {
        "django": trans_real.translation("vi")._catalog,
        "djangojs": trans_real.DjangoTranslation("vi", domain="djangojs")._catalog,
    }
    messages = []
    capitalised = []
    for catalogue, path in _installed_catalogues():
        catalog = catalogs[path.stem]
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            vietnamese = _vietnamese(entry, catalog)
            for text in filter(None, (entry.msgid, entry.msgid_plural)):
                if vietnamese != text and _meaningful(text):
                    messages.append(Message(text, catalogue, translated=bool(vietnamese)))
                    if text[:1].islower():
                        # Verbose names reach forms and column headings capitalised.
                        capitalised.append(
                            Message(capfirst(text), catalogue, translated=bool(vietnamese))
                        )
    # A message as written wins over another's capitalised form or a field's name.
    known = {m.text for m in messages}
    messages += [m for m in capitalised if m.text not in known]
    known |= {m.text for m in capitalised}
    messages += [m for m in _unnamed_fields() if m.text not in known]
    # A message several catalogues share is reported as the package's rather than
    # ours (the package's code is what shows it), and as untranslated if any is.
    messages.sort(key=lambda m: (m.translated, m.catalogue == PROJECT_CATALOGUE))
    return EnglishMessages(messages)
