"""Vietnamese first: every string the project marks for translation has Vietnamese text."""

from pathlib import Path

import polib
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
