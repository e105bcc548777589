"""Vietnamese first: every string the project marks for translation has Vietnamese text."""

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[1] / "site" / "locale"


def test_vietnamese_catalogue_is_complete_and_has_no_fuzzy_entries():
    po = polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))
    assert len(po) > 0
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_compiled_catalogue_is_used_at_run_time():
    with translation.override("vi"):
        assert translation.gettext("Need help?") == "Cần giúp đỡ?"
    with translation.override("en"):
        assert translation.gettext("Need help?") == "Need help?"


def test_admin_login_is_branded_in_vietnamese(client, db):
    html = client.get("/admin/login/").content.decode()
    assert "Đăng nhập cán bộ · Trường An Toàn" in html


def test_admin_sign_in_screen_is_vietnamese_where_wagtail_is_not(client, db):
    html = client.get("/admin/login/").content.decode()
    for vietnamese in ("Mật khẩu", "Quên mật khẩu?", "Ghi nhớ đăng nhập", ">Đăng nhập<"):
        assert vietnamese in html
    for english in (">Password<", "Forgotten password?", "Remember me"):
        assert english not in html.replace("\n", "").replace("  ", "")


OVERRIDES = Path(__file__).resolve().parents[1] / "site" / "locale_overrides" / "vi" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|</?[a-zA-Z][^>]*>")


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_override_catalogues_keep_every_placeholder_of_wagtail_and_django(domain):
    """A lost ``%(title)s`` or ``<a href>`` breaks a Wagtail screen at run time, not here."""
    po = polib.pofile(str(OVERRIDES / f"{domain}.po"))
    assert len(po) > 50
    broken = []
    for entry in po:
        if entry.msgid_plural:
            translated = entry.msgstr_plural.get(0, "")
            expected = set(PLACEHOLDER.findall(entry.msgid_plural))
            ok = (
                expected
                <= set(PLACEHOLDER.findall(translated))
                <= expected | set(PLACEHOLDER.findall(entry.msgid))
            )
        else:
            translated = entry.msgstr
            ok = sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(PLACEHOLDER.findall(translated))
        if not translated.strip() or "fuzzy" in entry.flags or not ok:
            broken.append(entry.msgid)
    assert broken == []


# Wagtail's own strings, read through the override catalogue (kept out of gettext
# calls here, so that `make messages` does not copy them into our own catalogue).
WAGTAIL_IN_VIETNAMESE = {
    "Save draft": "Lưu bản nháp",
    "Awaiting your review": "Đang chờ bạn duyệt",
    "%(time_period)s ago": "%(time_period)s trước",
}


def test_wagtails_editor_and_relative_times_speak_vietnamese():
    with translation.override("vi"):
        assert {english: translation.gettext(english) for english in WAGTAIL_IN_VIETNAMESE} == (
            WAGTAIL_IN_VIETNAMESE
        )
