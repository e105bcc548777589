"""The screens between the password and the admin speak Vietnamese.

The admin crawler (tests/admin_i18n) reads every screen of a signed-in role and
the sign-in page; these are the ones a teacher meets on the way in: setting up the
authenticator app, typing its code, the recovery codes, a wrong password and the
lockout page. Each is read the same way, for any English message left on it.
"""

import pytest

from tests.accounts.conftest import sign_in
from tests.accounts.test_two_factor import SETUP, VERIFY, new_enrolled_user, sign_in_again
from tests.admin_i18n import crawl
from tests.admin_i18n.messages import english_messages


@pytest.fixture(scope="module")
def english():
    return english_messages()


def english_on(response, english, language: str = "vi") -> list[str]:
    assert response.status_code in (200, 429), response.status_code
    reader = crawl.read_screen(response.content.decode())
    assert reader.html_lang == language
    found = []
    for _where, text in reader.strings:
        found += [c for c in crawl.candidates(text) if english.message_of(c) is not None]
    return found


def test_setting_up_the_second_factor_speaks_vietnamese(client, person, english):
    person("ctxh")
    sign_in(client, "ctxh")
    assert english_on(client.get(SETUP), english) == []


def test_the_code_page_and_a_wrong_code_speak_vietnamese(client, person, english):
    new_enrolled_user(client, person)
    sign_in_again(client)
    assert english_on(client.get(VERIFY), english) == []
    assert english_on(client.post(VERIFY, {"code": "000000", "next": "/admin/"}), english) == []


def test_a_wrong_password_and_the_lockout_page_speak_vietnamese(client, person, english):
    person("ctxh")
    wrong = sign_in(client, "ctxh", "sai-mat-khau", REMOTE_ADDR="10.0.0.7")
    assert english_on(wrong, english) == []
    for _n in range(5):
        locked = sign_in(client, "ctxh", "sai-mat-khau", REMOTE_ADDR="10.0.0.7")
    assert locked.status_code == 429
    assert english_on(locked, english) == []


def test_the_reading_finds_english_where_english_was_chosen(client, person, english, settings):
    """The check above can fail: with English chosen, the same screen is all English."""
    person("ctxh")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    sign_in(client, "ctxh")
    assert english_on(client.get(SETUP), english, language="en") != []
