"""Nothing English on paper: the four records (Mẫu 01–04) print every word in Vietnamese.

A record with an English heading cannot go into an official file, and the
English slips in quietly: a string the catalogue never extracted (xgettext does
not look inside f-strings) reads as its msgid and breaks no other test. So the
PDF of each record, and its print page, are searched for every English source
string the record could print:

- the msgids of the English catalogue written in ``forms_app/``;
- the titles, labels and choices of the wizards' step forms, read in English
  (a string missing from a stale catalogue is still found this way);
- the record's own description read in English: its headings and labels, and
  each answer that reads differently in Vietnamese (a choice, Yes/No, a date
  line).

Text pulled out of a PDF breaks narrow table cells into lines and may read
neighbouring cells in between, which would hide a long heading from a search
for the whole string; so each word of the PDF that is written in plain Latin
letters is also checked to be a possible Vietnamese syllable ("learner",
"period" and "approval" are not).

Passing needs the Vietnamese of every string in the running catalogue (the
strings of this fix come from var/po-fragments/records.po once merged).
"""

import re
from pathlib import Path

import polib
import pytest
from django import forms
from django.utils import translation

from forms_app.cases import consent
from forms_app.forms.rated import HIGH, LOW, MEDIUM, REFERRAL
from forms_app.forms.review import ACHIEVED, NOT_ACHIEVED, PARTLY
from forms_app.models import CaseState, TemplateCode
from forms_app.printing import layout
from forms_app.printing.bundle import case_records, render_bundle
from forms_app.printing.sections import RecordDescription, Row, Table, snapshot
from forms_app.wizards import WIZARDS
from tests.forms_app.factories import make_case
from tests.forms_app.printing.test_printing import intake, pdf_text

CATALOGUE = Path(__file__).resolve().parents[3] / "site" / "locale" / "en" / "LC_MESSAGES"

# A placeholder of a format string: the words around it are looked for, not it.
PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|\{[^}]*\}")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# A Vietnamese syllable written without tone marks or special letters: an initial
# consonant, one to three vowels, a final consonant. Any Latin-letter word outside
# this shape cannot be Vietnamese.
SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?",
    re.IGNORECASE,
)


def fragments(source: str) -> list[str]:
    """The pieces of ``source`` between its placeholders that hold a word."""
    pieces = (" ".join(piece.split()).strip(" ,;:·") for piece in PLACEHOLDER.split(source))
    return [piece for piece in pieces if LATIN_WORD.search(piece)]


def catalogue_sources() -> set[str]:
    """The msgids of the English catalogue that come from the case area's code."""
    catalogue = polib.pofile(str(CATALOGUE / "django.po"))
    sources = set()
    for entry in catalogue:
        if any(path.startswith("forms_app/") for path, _line in entry.occurrences):
            sources.add(entry.msgid)
            if entry.msgid_plural:
                sources.add(entry.msgid_plural)
    return sources


def _field_sources(form_class: type[forms.Form]) -> set[str]:
    sources = {str(getattr(form_class, "title", "") or "")}
    for field in form_class.base_fields.values():
        sources.add(str(field.label or ""))
        # Reference lists' choices are rows of the database, named in Vietnamese.
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            sources.update(str(label) for _value, label in field.choices)
    return sources


def form_sources() -> set[str]:
    """The wizards' step forms (and their row forms) in English: titles, labels, choices."""
    sources: set[str] = set()
    with translation.override("en"):
        for wizard in WIZARDS.values():
            for _step, form_class in wizard.form_list:
                sources |= _field_sources(form_class)
                row_form = getattr(form_class, "row_form_class", None)
                if row_form is not None:
                    sources |= _field_sources(row_form)
                    sources.add(str(form_class.row_label))
    return sources


def _item_pairs(english: RecordDescription, vietnamese: RecordDescription):
    for en_section, vi_section in zip(english.sections, vietnamese.sections, strict=True):
        yield en_section.title, vi_section.title
        for en_item, vi_item in zip(en_section.items, vi_section.items, strict=True):
            if isinstance(en_item, Row):
                yield en_item.label, vi_item.label
                yield en_item.value, vi_item.value
            elif isinstance(en_item, Table):
                yield en_item.caption, vi_item.caption
                yield from zip(en_item.columns, vi_item.columns, strict=True)
                yield from zip(en_item.footer or [], vi_item.footer or [], strict=True)
                for en_row, vi_row in zip(en_item.rows, vi_item.rows, strict=True):
                    yield from zip(en_row, vi_row, strict=True)
    for en_signature, vi_signature in zip(english.signatures, vietnamese.signatures, strict=True):
        yield en_signature.role, vi_signature.role
        yield en_signature.note, vi_signature.note
    for name in ("form_marker", "title", "number", "place_and_date"):
        yield getattr(english, name), getattr(vietnamese, name)


def description_sources(code: str, record) -> set[str]:
    """The record as described in English: labels always, answers where Vietnamese differs.

    An answer that reads the same in both languages is what someone typed (or a
    name, a number, a date), not interface text.
    """
    with translation.override("en"):
        english = layout.describe_record(code, record)
    with translation.override("vi"):
        vietnamese = layout.describe_record(code, record)
    labels = {section.title for section in english.sections}
    for section in english.sections:
        for item in section.items:
            if isinstance(item, Row):
                labels.add(item.label)
            else:
                labels |= {item.caption, *item.columns}
    sources = {str(text) for text in labels}
    sources |= {str(en) for en, vi in _item_pairs(english, vietnamese) if str(en) != str(vi)}
    # "1. Goals": the heading's words, without its number.
    return {re.sub(r"^\d+\.\s*", "", text) for text in sources}


def english_in(text: str, sources: set[str]) -> list[str]:
    """The pieces of ``sources`` found in ``text`` as whole words (capitals as printed too)."""
    found = set()
    for source in sources:
        for piece in fragments(source):
            variants = {piece}
            if len(piece.split()) > 1:
                variants.add(piece.upper())  # titles and signature roles print in capitals
            for variant in variants:
                if re.search(rf"(?<!\w){re.escape(variant)}(?!\w)", text):
                    found.add(variant)
    return sorted(found)


def non_vietnamese_words(text: str) -> list[str]:
    """Words in plain Latin letters that cannot be a Vietnamese syllable.

    Abbreviations in capitals (THCS, TT, HB, the documents' symbols) are left out.
    """
    words = set()
    for word in re.findall(r"[^\W\d_]+", text):
        if not word.isascii() or (word.isupper() and len(word) <= 5) or len(word) < 2:
            continue
        if not SYLLABLE.fullmatch(word):
            words.add(word)
    return sorted(words)


# An answer of each record that shows its steps with choices were printed.
ANSWERED = {
    "01": "Cô giáo bộ môn",
    "02": "Em có dấu hiệu bị bạo lực tại nhà",
    "03": "Đồng ý, đề nghị phối hợp với Đoàn Đội",
    "04": "Sổ điểm danh",
}


def _answer_every_step(case, body) -> None:
    """Answers in the steps whose choices print only when picked (risk, referral, results)."""
    assessment = case.assessments.get()
    assessment.answers |= {
        "verification": {
            "assessed_on": "2026-03-05",
            "method": "Trao đổi trực tiếp với em và giáo viên chủ nhiệm",
            "people_consulted": "Giáo viên chủ nhiệm, mẹ của em",
            "learner_view": "Em muốn được đổi chỗ ngồi",
        },
        "risk": {
            "recurrence": HIGH,
            "dropout": "",
            "self_harm": LOW,
            "overall": MEDIUM,
            "note": "Cần theo dõi thêm",
        },
        "conclusion": {"conclusion": REFERRAL, "reasons": "Cần hỗ trợ chuyên sâu"},
        "referral": {
            "receiving_body": snapshot(body),
            "learner_consent": consent.NO,
            "guardian_consent": consent.YES,
            "consent": False,
            "danger_exception": "Em có dấu hiệu bị bạo lực tại nhà",
        },
    }
    assessment.conclusion = REFERRAL
    assessment.save(update_fields=["answers", "conclusion"])
    review = case.reviews.get()
    review.answers |= {
        "general": {"reviewed_on": "2026-04-05", "notes": "Em tiến bộ rõ"},
        "results": {
            "goals": [
                {"text": "Em đến lớp đều đặn", "result": ACHIEVED, "evidence": "Sổ điểm danh"},
                {"text": "Em tự tin hơn", "result": PARTLY, "evidence": ""},
            ],
            "activities": [
                {"activity": "Tham vấn cá nhân", "result": NOT_ACHIEVED, "evidence": ""},
            ],
        },
        "conclusion": {"conclusion": "close", "reasons": "Em đã ổn định"},
    }
    review.save(update_fields=["answers"])


@pytest.fixture
def records(school, worker, principal, body) -> list[tuple[str, object]]:
    """One of each record, every step answered, the plan approved with a comment."""
    case = make_case(school, worker, principal, state=CaseState.CLOSED)
    plan = case.plans.get()
    plan.decision_comment = "Đồng ý, đề nghị phối hợp với Đoàn Đội"
    plan.save(update_fields=["decision_comment"])
    _answer_every_step(case, body)
    found = [(item.code, item.record) for item in case_records(case) if item.code]
    full_intake = intake(school, worker)
    return [
        (TemplateCode.INTAKE, full_intake),
        *((code, record) for code, record in found if code != TemplateCode.INTAKE),
    ]


@pytest.fixture(scope="module")
def english_sources(module_db) -> set[str]:
    return catalogue_sources() | form_sources()


def test_sources_cover_the_headings_of_the_plan(english_sources, records):
    """The three ways of collecting English find what a reader saw printed in English."""
    plan = next(record for code, record in records if code == TemplateCode.PLAN)
    sources = english_sources | description_sources(TemplateCode.PLAN, plan)

    for heading in ("Plan period and review", "Approval by the principal", "Goals"):
        assert heading in sources
    assert english_in("4. Plan period and review", sources)
    assert non_vietnamese_words("1. The learner and the problems") == ["and", "learner", "problems"]


@pytest.mark.parametrize("code", ["01", "02", "03", "04"])
def test_printed_record_has_no_english_label(code, english_sources, records):
    record = next(record for record_code, record in records if record_code == code)
    sources = english_sources | description_sources(code, record)

    with translation.override("vi"):
        printed = pdf_text(layout.render_pdf(None, code, record))
        page = " ".join(layout.render_html(None, code, record).split())

    assert ANSWERED[code] in printed  # the answers with choices are printed, and searched
    assert english_in(printed, sources) == []
    assert non_vietnamese_words(printed) == []
    page_text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert english_in(page_text, sources) == []


def test_whole_case_file_has_no_english_label(english_sources, records):
    """The cover and the last sheet of the whole-case PDF, around the same records."""
    case = next(record for code, record in records if code == TemplateCode.PLAN).case

    with translation.override("vi"):
        printed = pdf_text(render_bundle(None, case))

    assert english_in(printed, english_sources) == []
    assert non_vietnamese_words(printed) == []
