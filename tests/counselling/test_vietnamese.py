"""The log's screens speak Vietnamese: no English message of Wagtail, Django or this
project left on them, with or without errors on the form (tests/admin_i18n's reader)."""

import polib
import pytest
from django.conf import settings

from tests.admin_i18n import crawl
from tests.admin_i18n.messages import english_messages
from tests.counselling.conftest import (
    ACTIVITIES,
    ACTIVITY_NEW,
    LIST,
    NEW,
    activity_url,
    edit_url,
    entry_data,
    entry_url,
)

FRAGMENT = settings.BASE_DIR / "var" / "po-fragments" / "counsel.po"


def english_left(html: str, english, ours: set[str]) -> list[str]:
    found = []
    for _where, text in crawl.read_screen(html).strings:
        for candidate in crawl.candidates(text):
            if english.message_of(candidate) is not None or candidate in ours:
                found.append(candidate)
    return found


@pytest.fixture(scope="module")
def english():
    return english_messages()


def test_every_screen_of_the_log_is_in_vietnamese(
    worker_client, school, area, make_entry, make_activity, learner_of, english
):
    ours = {entry.msgid for entry in polib.pofile(str(FRAGMENT))} if FRAGMENT.exists() else set()
    learner_of(school, "Nguyễn Văn An", "7A")
    learner_of(school, "Nguyễn Văn An", "9C")
    entry, activity = make_entry(school, notes="Ghi chú"), make_activity(school)
    screens = {
        url: worker_client.get(url)
        for url in (
            LIST,
            NEW,
            entry_url(entry),
            edit_url(entry),
            ACTIVITIES,
            ACTIVITY_NEW,
            activity_url(activity),
        )
    }
    screens["new, with mistakes"] = worker_client.post(
        NEW, entry_data(area, names="Nguyen Van An", outcome="case", participants="0")
    )
    screens["activity, with mistakes"] = worker_client.post(ACTIVITY_NEW, {"title": ""})
    for name, response in screens.items():
        assert response.status_code == 200, name
        assert english_left(response.content.decode(), english, ours) == [], name
