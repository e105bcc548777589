"""The trail and the report read in words, never in the codes the entries store.

Entries keep their codes ("case:15", "draft:…", "bundle", "step: conclusion"):
they are hashed into the chain. Only what the screens show changes, so each test
also checks the stored entry is untouched and the chain still verifies.
"""

import re
import uuid

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from audit.chain import verify
from audit.describe import describe_entry
from audit.log import record
from audit.models import Action, AuditEntry
from forms_app.forms.assessment import ConclusionForm


def _cells(html: str) -> list[list[str]]:
    """The body rows of the entries table, as the text of their cells."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def _entry(user, case, action, target, detail="") -> AuditEntry:
    request = RequestFactory().get("/")
    request.user = user
    return record(request, action, case=case, target=target, detail=detail)


def _codes(case) -> list[tuple[str, str, str]]:
    """What the case area's views store (see their ``audit_log.record`` calls)."""
    draft = str(uuid.uuid4())
    return [
        (Action.VIEW, f"case:{case.pk}", ""),
        (Action.CHANGE, f"case:{case.pk}", "fields: assigned_worker, learner_class"),
        (Action.VIEW, f"case-edit:{case.pk}", ""),
        (Action.CHANGE, f"draft:{draft}", "step: conclusion"),
        (Action.CREATE, "mau-02:4", "step: referral"),
        (Action.PRINT, "mau-01:12", ""),
        (Action.PDF, "bundle", ""),
        (Action.UPLOAD, "file:3", "pdf"),
        (Action.CHANGE, f"plan-approve:{case.pk}", ""),
        (Action.VIEW, f"case-close:{case.pk}", ""),
        (Action.SEARCH, "case-list", "results: 3"),
        (Action.VIEW, "todo", "items: 5"),
        (Action.ARCHIVE, "", "retention"),
    ]


# A stored code as it could show: a kind with an id, a step, a field list, a count.
CODE = re.compile(r"\b[a-z]+(?:-[a-z]+)*:\s?\S|^(bundle|retention|todo|case-list)$")


@pytest.mark.parametrize("screen", ["trail", "report"])
def test_entries_read_in_words_and_keep_their_codes(client_as, staff, case, screen):
    codes = _codes(case)
    for action, target, detail in codes:
        _entry(staff["worker"], case, action, target, detail)
    url = (
        reverse("audit:case_trail", args=[case.pk])
        if screen == "trail"
        else reverse("audit:report")
    )

    html = client_as(staff["principal"]).get(url).content.decode()

    rows = _cells(html)
    assert len(rows) == len(codes)
    for cells in rows:
        what, detail = cells[4], cells[5]
        assert not CODE.search(what), what
        assert not CODE.search(detail), detail
    # Newest first: the draft's step, the case's changed fields, the file's type.
    shown = {(cells[4], cells[5]) for cells in rows}
    step = gettext("Step: %(step)s") % {"step": ConclusionForm.title}
    assert (gettext("Draft of a form"), step) in shown
    assert (gettext("Whole case file (PDF)"), "—") in shown
    assert (gettext("Attached file"), "PDF") in shown
    assert (gettext("Form No. %(code)s") % {"code": "01"}, "—") in shown
    stored = list(AuditEntry.objects.order_by("pk").values_list("action", "target", "detail"))
    assert stored == [(str(a), t, d) for a, t, d in codes]
    assert verify().ok


def test_entry_words_are_vietnamese(staff, case):
    """The words a principal reads (needs the merged catalogue, as the screens do)."""
    view = _entry(staff["worker"], case, Action.VIEW, f"case:{case.pk}")
    step = _entry(staff["worker"], case, Action.CHANGE, "draft:x", "step: conclusion")

    with translation.override("vi"):
        assert describe_entry(view).what == "Trang hồ sơ"
        assert describe_entry(step).detail == "Bước: Kết luận, đề xuất"


def test_an_unknown_code_is_shown_as_stored(staff, case):
    entry = _entry(staff["worker"], case, Action.VIEW, "something-new:7", "extra")

    words = describe_entry(entry)

    assert (words.what, words.detail) == ("something-new:7", "extra")
