"""The help channel's public pages: write, receipt once, come back, read and answer.

What a pupil or parent notices: the receipt shows the code and the secret words
once; only both open the thread; the team's reply is there and their answer is
kept; nothing of it stays in a cache; the quick exit ends the visit.
"""

import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from concerns.models import Concern, ConcernMessage
from tests.conftest import build_school

pytestmark = pytest.mark.django_db

MESSAGE = "Em bị mấy bạn lớp 7B chặn đường đòi tiền mỗi chiều thứ Sáu."


@pytest.fixture
def school(db):
    return build_school("HC", "Trường THCS Hòa Cầu", hotline="0203 555 111")


def old_token(monkeypatch, seconds_ago: int = 60) -> str:
    """A time token as if the form had been shown ``seconds_ago``."""
    import time

    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now - seconds_ago)
    token = signing.TimestampSigner(salt="help-channel.started").sign("shown")
    monkeypatch.setattr(signing.time, "time", lambda: now)
    return token


@pytest.fixture
def post_data(monkeypatch):
    def build(**changes) -> dict:
        data = {
            "sender_role": "learner",
            "text": MESSAGE,
            "reach": "anonymous",
            "contact": "",
            "website": "",
            "started": old_token(monkeypatch),
        }
        data.update(changes)
        return data

    return build


def write_url(school) -> str:
    return reverse("help_channel:write", args=[school.code])


def send(client, school, data, address="203.0.113.20"):
    return client.post(write_url(school), data, REMOTE_ADDR=address)


def receipt_of(client, school) -> tuple[str, str]:
    page = client.get(reverse("help_channel:receipt", args=[school.code])).content.decode()
    code = re.search(r'data-receipt="code">([^<]+)<', page).group(1)
    secret = re.search(r'data-receipt="secret">(.+?)</dd>', page).group(1)
    return code, re.sub(r"<[^>]+>", "", secret)


def main_text(page: str) -> str:
    """The words of a page's <main>, without its markup."""
    main = re.search(r"<main\b.*?</main>", page, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def come_back(client, code, secret, address="203.0.113.20"):
    return client.post(
        reverse("help_channel:come_back"), {"code": code, "secret": secret}, REMOTE_ADDR=address
    )


# Writing --------------------------------------------------------------------------


def test_write_page_is_plain_for_a_child_and_points_to_111(client, school):
    response = client.get(write_url(school))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="danger-note"' in page
    assert 'href="tel:111"' in page
    assert 'href="tel:113"' in page
    assert "Trường THCS Hòa Cầu" in page
    # Anonymous is what is chosen until the sender says otherwise.
    assert re.search(r'value="anonymous"[^>]*checked', page)
    assert 'autocomplete="off"' in re.search(r"<textarea[^>]*>", page).group(0)


def test_unknown_school_is_not_found(client, school):
    assert client.get("/tro-giup/ZZ9/").status_code == 404


def test_post_redirects_to_the_receipt_shown_once(client, school, post_data):
    response = send(client, school, post_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("help_channel:receipt", args=[school.code])
    code, secret = receipt_of(client, school)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert len(secret.split(" · ")) == 4
    concern = Concern.objects.get()
    assert concern.what_happened == MESSAGE
    assert concern.held_as_possible_spam is False
    # Shown once: a reload shows neither, and neither stays in the session.
    again = client.get(reverse("help_channel:receipt", args=[school.code])).content.decode()
    assert code not in again
    assert secret not in again
    # No word of the phrase either, beyond what the page says to anyone: a word may
    # also be on every page ("nhanh" of "Thoát nhanh"), so compare with a stranger's view.
    stranger = Client().get(reverse("help_channel:receipt", args=[school.code])).content.decode()
    assert main_text(again) == main_text(stranger)
    assert 'data-receipt="secret"' not in again
    assert "help_channel.receipt" not in client.session


def test_mistakes_keep_everything_typed(client, school, post_data):
    response = send(client, school, post_data(sender_role="", reach="reach_me", contact=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert MESSAGE in page
    assert 'id="error-summary"' in page
    assert 'aria-describedby="id_contact_helptext id_contact_error"' in page
    assert 'aria-invalid="true"' in page
    assert not Concern.objects.exists()


def test_too_long_is_refused_with_the_text_kept(client, school, post_data):
    long_text = "á" * 5001
    response = send(client, school, post_data(text=long_text))
    assert response.status_code == 400
    assert long_text in response.content.decode()
    assert "5000" in response.content.decode()


def test_contact_is_kept_only_when_asked_to(client, school, post_data):
    send(client, school, post_data(reach="anonymous", contact="0912345678"))
    send(client, school, post_data(reach="reach_me", contact="0912345678"), "203.0.113.21")
    assert sorted(c.contact for c in Concern.objects.all()) == ["", "0912345678"]


def test_honeypot_is_accepted_but_set_aside(client, school, post_data):
    response = send(client, school, post_data(website="http://spam.example"))
    assert response.status_code == 302
    assert Concern.objects.get().held_as_possible_spam is True


@pytest.mark.parametrize("token", ["fresh", "", "forged"])
def test_too_fast_or_forged_time_token_is_accepted_but_set_aside(client, school, post_data, token):
    started = {
        "fresh": signing.TimestampSigner(salt="help-channel.started").sign("shown"),
        "": "",
        "forged": "shown:1abc:notasignature",
    }[token]
    response = send(client, school, post_data(started=started))
    assert response.status_code == 302
    assert Concern.objects.get().held_as_possible_spam is True


# Coming back ------------------------------------------------------------------------


def _posted(client, school, post_data) -> tuple[str, str]:
    send(client, school, post_data())
    return receipt_of(client, school)


def test_code_and_secret_open_the_thread_through_prg(client, school, post_data):
    code, secret = _posted(client, school, post_data)
    response = come_back(client, code.lower(), secret.upper().replace(" · ", " "))
    assert response.status_code == 302
    assert response["Location"] == reverse("help_channel:thread")
    page = client.get(response["Location"]).content.decode()
    assert MESSAGE in page
    # Nothing of the visit in the URL or the page's links.
    assert code not in response["Location"]
    assert secret not in page


def test_the_team_reply_is_read_and_the_answer_is_kept(client, school, post_data):
    code, secret = _posted(client, school, post_data)
    concern = Concern.objects.get()
    ConcernMessage.objects.create(
        concern=concern,
        author_kind=ConcernMessage.Author.TEAM,
        text="Cô đã đọc. Thứ Hai em ghé phòng tư vấn nhé.",
    )
    come_back(client, code, secret)
    page = client.get(reverse("help_channel:thread")).content.decode()
    assert "Thứ Hai em ghé phòng tư vấn nhé." in page
    assert page.index(MESSAGE) < page.index("Thứ Hai em ghé phòng tư vấn nhé.")
    response = client.post(reverse("help_channel:thread"), {"text": "Dạ, em sẽ đến ạ."})
    assert response.status_code == 302
    assert (
        client.get(reverse("help_channel:thread")).content.decode().count("Dạ, em sẽ đến ạ.") == 1
    )
    answer = concern.messages.get(author_kind=ConcernMessage.Author.REPORTER)
    assert answer.text == "Dạ, em sẽ đến ạ."
    concern.refresh_from_db()
    assert concern.last_sender_message_at is not None


def test_internal_notes_of_the_team_never_show(client, school, post_data):
    code, secret = _posted(client, school, post_data)
    concern = Concern.objects.get()
    concern.close_note = "Ghi chú nội bộ: đã mở hồ sơ"
    concern.contact = "liên hệ bí mật"
    concern.save()
    come_back(client, code, secret)
    page = client.get(reverse("help_channel:thread")).content.decode()
    assert "Ghi chú nội bộ" not in page
    assert "hồ sơ" not in page


@pytest.mark.parametrize("what", ["wrong secret", "other thread", "tampered code", "no code"])
def test_thread_is_read_only_with_its_own_code_and_secret(client, school, post_data, what):
    code, secret = _posted(client, school, post_data)
    other_client = type(client)()
    send(other_client, school, post_data(text="Tin nhắn của người khác"), "198.51.100.30")
    _other_code, other_secret = receipt_of(other_client, school)
    tried = {
        "wrong secret": (code, "mèo · chó · gà · vịt"),
        "other thread": (code, other_secret),
        "tampered code": (code[:-1] + ("2" if code[-1] != "2" else "3"), secret),
        "no code": ("", secret),
    }[what]
    fresh = type(client)()
    response = come_back(fresh, *tried, address="198.51.100.99")
    assert response.status_code == 400
    page = response.content.decode()
    assert MESSAGE not in page
    assert "Tin nhắn của người khác" not in page
    assert fresh.get(reverse("help_channel:thread")).status_code == 302


def test_thread_without_access_goes_to_the_come_back_page(client, school):
    response = client.get(reverse("help_channel:thread"))
    assert response.status_code == 302
    assert response["Location"] == reverse("help_channel:come_back")


def test_access_ends_after_15_idle_minutes(client, school, post_data, monkeypatch):
    code, secret = _posted(client, school, post_data)
    come_back(client, code, secret)
    assert client.get(reverse("help_channel:thread")).status_code == 200
    import time

    later = time.time() + 16 * 60
    monkeypatch.setattr("pages.help_channel.views.time.time", lambda: later)
    assert client.get(reverse("help_channel:thread")).status_code == 302


def test_wrong_tries_are_limited_with_a_clear_message(client, school, post_data, settings):
    settings.HELP_CHANNEL_WRONG_PER_ADDRESS = (3, 900)
    code, secret = _posted(client, school, post_data)
    for _ in range(3):
        assert come_back(client, code, "sai · sai · sai · sai").status_code == 400
    response = come_back(client, code, secret)
    assert response.status_code == 429
    assert "Retry-After" in response
    assert 'role="alert"' in response.content.decode()


# Nothing stays ----------------------------------------------------------------------


def _assert_private(response):
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control
    assert response["Referrer-Policy"] == "same-origin"
    assert "X-Page-Cache" not in response
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_every_page_is_no_store_no_referrer_and_never_in_the_page_cache(
    client, school, post_data, settings
):
    settings.PAGE_CACHE_SECONDS = 600
    for url in [
        reverse("help_channel:choose"),
        write_url(school),
        reverse("help_channel:come_back"),
        reverse("help_channel:receipt", args=[school.code]),
    ]:
        for _ in range(2):  # the second visitor would get a stored copy, if any was kept
            _assert_private(type(client)().get(url))
    _assert_private(send(client, school, post_data()))
    code, secret = receipt_of(client, school)
    _assert_private(come_back(client, code, secret))
    _assert_private(client.get(reverse("help_channel:thread")))


def test_quick_exit_ends_the_visit(client, school, post_data, settings):
    settings.QUICK_EXIT_URL = "https://example.org/thoi-tiet"
    code, secret = _posted(client, school, post_data)
    come_back(client, code, secret)
    page = client.get(reverse("help_channel:thread")).content.decode()
    leave = reverse("help_channel:leave")
    assert f'class="quick-exit" href="{leave}"' in page
    response = client.get(leave)
    assert response.status_code == 302
    assert response["Location"] == "https://example.org/thoi-tiet"
    _assert_private(response)
    assert client.get(reverse("help_channel:thread")).status_code == 302


def test_help_strip_links_each_school_page_to_its_own_channel(client, school):
    page = client.get(school.root_page.url).content.decode()
    assert f'class="help-strip__message" href="{write_url(school)}"' in page


def test_portal_offers_a_choice_of_school(client, school):
    build_school("HD", "Trường Tiểu học Hòa Đông")
    page = client.get(reverse("help_channel:choose")).content.decode()
    assert write_url(school) in page
    assert "/tro-giup/HD/" in page
