"""concerns.gateway: a help request in, its thread out only with its code and phrase."""

import pytest
from django.db import connection

from concerns import gateway
from concerns.models import Channel, Concern, ConcernMessage, SenderRole, Status
from tests.conftest import build_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(db):
    return build_school("GW", "Trường THCS Cổng")


def _submit(school, text="Bạn Nam lớp 6A hay bị bắt nạt ở nhà xe.", **kwargs):
    kwargs.setdefault("client_address", "203.0.113.7")
    return gateway.submit_help_request(school.code, text, **kwargs)


def test_a_request_is_stored_online_encrypted_with_code_and_hashed_phrase(school):
    receipt = _submit(school, sender_role=SenderRole.LEARNER)
    concern = Concern.objects.get()
    assert concern.channel == Channel.ONLINE
    assert concern.school == school
    assert concern.sender_role == "learner"
    assert concern.received_at is not None
    assert concern.tracking_code == receipt.code.replace("-", "")
    assert concern.held_as_possible_spam is False
    # The phrase is nowhere in clear, nor the text.
    assert receipt.secret not in concern.secret_hash
    assert concern.secret_hash.startswith("hmac-sha256$")
    with connection.cursor() as cursor:
        cursor.execute("SELECT what_happened FROM concerns_concern WHERE id = %s", [concern.pk])
        stored = cursor.fetchone()[0]
    assert "bắt nạt" not in stored


def test_receipt_is_a_short_code_and_four_words(school):
    receipt = _submit(school)
    assert len(receipt.code) == 9
    assert receipt.code[4] == "-"
    assert set(receipt.code.replace("-", "")) <= set(gateway.CODE_ALPHABET)
    phrase_words = receipt.secret.split(" · ")
    assert len(phrase_words) == 4
    assert set(phrase_words) <= set(gateway.words())


def test_the_word_list_is_long_and_unambiguous_once_folded():
    folded = [gateway.fold(word) for word in gateway.words()]
    assert len(folded) >= 1600
    assert len(set(folded)) == len(folded)


def test_anonymous_drops_the_contact_and_otherwise_keeps_it(school):
    _submit(school, contact="0912 345 678", anonymous=True)
    _submit(school, contact="mẹ bạn Lan, 0912 345 678", anonymous=False)
    assert [c.contact for c in Concern.objects.order_by("pk")] == ["", "mẹ bạn Lan, 0912 345 678"]


def test_unknown_school_and_bad_text_are_refused(school):
    with pytest.raises(gateway.UnknownSchool):
        gateway.submit_help_request("ZZ", "xin chào")
    with pytest.raises(ValueError, match="out of bounds"):
        _submit(school, text="   ")
    with pytest.raises(ValueError, match="out of bounds"):
        _submit(school, text="a" * (gateway.MAX_TEXT_LENGTH + 1))
    assert not Concern.objects.exists()


def test_looks_like_spam_is_kept_set_aside(school):
    _submit(school, looks_like_spam=True)
    assert Concern.objects.get().held_as_possible_spam is True


def test_thread_opens_with_its_code_and_phrase_typed_loosely(school):
    receipt = _submit(school)
    loose = receipt.secret.replace(" · ", "  ").upper()
    plain = gateway.fold(receipt.secret)
    for code, secret in [
        (receipt.code, receipt.secret),
        (receipt.code.lower().replace("-", " "), loose),
        (receipt.code, plain),
    ]:
        thread = gateway.open_thread(code, secret)
        assert thread is not None
        assert thread.code == receipt.code
        assert thread.state == "received"
        assert [m.text for m in thread.messages] == ["Bạn Nam lớp 6A hay bị bắt nạt ở nhà xe."]


def test_thread_never_opens_without_its_own_secret(school):
    mine = _submit(school)
    other = _submit(school, text="Chuyện khác", client_address="198.51.100.1")
    words = mine.secret.split(" · ")
    for code, secret in [
        (mine.code, other.secret),  # another thread's phrase
        (other.code, mine.secret),
        (mine.code, ""),
        (mine.code, " · ".join(words[:3])),  # three words of four
        (mine.code, " · ".join(reversed(words))),
        (mine.code, mine.secret + " mèo"),
        (mine.code[:-1] + ("2" if mine.code[-1] != "2" else "3"), mine.secret),  # tampered code
        ("", mine.secret),
        (mine.code, "k1." + "0" * 64),  # a made-up access key
        (mine.code, gateway.open_thread(other.code, other.secret).access_key),
        (mine.code, Concern.objects.get(tracking_code=mine.code.replace("-", "")).secret_hash),
    ]:
        assert gateway.open_thread(code, secret, client_address=f"10.0.0.{len(secret)}") is None


def test_access_key_opens_only_its_own_thread(school):
    receipt = _submit(school)
    thread = gateway.open_thread(receipt.code, receipt.secret)
    assert receipt.secret not in thread.access_key
    assert gateway.open_thread(receipt.code, thread.access_key).code == receipt.code


def test_a_staff_concern_has_no_thread(school):
    Concern.objects.create(
        school=school, channel=Channel.STAFF, what_happened="x", tracking_code="ABCDEFGH"
    )
    assert gateway.open_thread("ABCD-EFGH", "") is None


def test_the_team_reply_is_read_and_the_sender_answers(school):
    receipt = _submit(school)
    concern = Concern.objects.get()
    ConcernMessage.objects.create(
        concern=concern, author_kind=ConcernMessage.Author.TEAM, text="Cô đã đọc. Em an toàn chứ?"
    )
    thread = gateway.open_thread(receipt.code, receipt.secret)
    assert thread.state == "answered"
    assert [(m.from_team, m.text) for m in thread.messages] == [
        (False, "Bạn Nam lớp 6A hay bị bắt nạt ở nhà xe."),
        (True, "Cô đã đọc. Em an toàn chứ?"),
    ]
    after = gateway.add_sender_reply(receipt.code, receipt.secret, "Dạ em ổn ạ.")
    assert after.messages[-1].from_team is False
    assert after.messages[-1].text == "Dạ em ổn ạ."
    stored = concern.messages.get(author_kind=ConcernMessage.Author.REPORTER)
    assert stored.text == "Dạ em ổn ạ."
    concern.refresh_from_db()
    assert concern.last_sender_message_at == stored.created_at


def test_a_wrong_secret_stores_no_reply(school):
    receipt = _submit(school)
    other = _submit(school, client_address="198.51.100.2")
    assert gateway.add_sender_reply(receipt.code, other.secret, "chen vào") is None
    assert not ConcernMessage.objects.exists()


def test_closed_thread_reads_closed_and_takes_no_answer(school):
    receipt = _submit(school)
    Concern.objects.update(status=Status.CLOSED)
    thread = gateway.open_thread(receipt.code, receipt.secret)
    assert (thread.state, thread.may_reply) == ("closed", False)
    with pytest.raises(ValueError, match="closed"):
        gateway.add_sender_reply(receipt.code, receipt.secret, "còn nữa")


def test_wrong_guesses_are_limited_per_address_then_even_the_right_one_waits(school, settings):
    settings.HELP_CHANNEL_WRONG_PER_ADDRESS = (3, 900)
    receipt = _submit(school)
    for _ in range(3):
        assert (
            gateway.open_thread(receipt.code, "sai sai sai sai", client_address="192.0.2.9") is None
        )
    with pytest.raises(gateway.OverLimit) as refused:
        gateway.open_thread(receipt.code, receipt.secret, client_address="192.0.2.9")
    assert refused.value.retry_after > 0
    # Another address is not held back.
    assert gateway.open_thread(receipt.code, receipt.secret, client_address="192.0.2.10")


def test_wrong_guesses_at_one_code_are_limited_from_any_address(school, settings):
    settings.HELP_CHANNEL_WRONG_PER_CODE = (4, 3600)
    receipt = _submit(school)
    for n in range(4):
        gateway.open_thread(receipt.code, "sai", client_address=f"192.0.2.{n}")
    with pytest.raises(gateway.OverLimit):
        gateway.open_thread(receipt.code, receipt.secret, client_address="192.0.2.200")


def test_posts_are_limited_per_address_and_per_school(school, settings):
    settings.HELP_CHANNEL_POSTS_PER_ADDRESS = (2, 600)
    settings.HELP_CHANNEL_POSTS_PER_SCHOOL = (4, 3600)
    _submit(school, client_address="192.0.2.1")
    _submit(school, client_address="192.0.2.1")
    with pytest.raises(gateway.OverLimit):
        _submit(school, client_address="192.0.2.1")
    _submit(school, client_address="192.0.2.2")
    _submit(school, client_address="192.0.2.3")
    with pytest.raises(gateway.OverLimit):
        _submit(school, client_address="192.0.2.4")
    assert Concern.objects.count() == 4
