"""A wizard step POST costs the same few queries however many cases the school has.

A case worker on a phone posts a step and waits for the next one: the POST
validates the step, stores it in the draft, writes one audit entry and redirects.
Nothing in it may read the school's other cases one by one.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forms_app.cases.opening import open_case
from forms_app.models import Case, CaseState
from tests.forms_app.factories import make_case
from tests.forms_app.wizards.stepping import STEPPERS

# Whatever the number of cases. Seven are the admin's own (session, user, second
# factor and so on), then the roles, the draft (with its school and case), what
# the step's form reads (a record date is checked against the case's records),
# the draft's UPDATE and the audit entry (the chain's last hash, the INSERT).
BOUND = 15
# The audit entry first takes the chain's lock (audit.log): an advisory lock on
# PostgreSQL, SQLite's write lock (a no-op UPDATE) on SQLite.
AUDIT_LOCK = {"postgresql": 1, "sqlite": 1}


def first_step(kind: str) -> tuple[str, dict]:
    """The first step of each wizard with answers it accepts."""
    today = timezone.localdate().isoformat()
    # Yesterday: at 00:10 a call "received today at 08:30" would be in the future.
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    return {
        "intake": (
            "source",
            {"channel": "phone", "received_date": yesterday, "received_time": "08:30"},
        ),
        "assessment": (
            "verification",
            {
                "assessed_on": today,
                "method": "Trao đổi với GVCN",
                "people_consulted": "GVCN lớp 7A",
                "learner_view": "Em muốn được chuyển chỗ ngồi",
            },
        ),
        "plan": ("problems", {"text": "Em bị bạn cùng lớp trêu chọc"}),
        "review": ("general", {"reviewed_on": today, "notes": "Trao đổi với GVCN"}),
    }[kind]


def add_other_cases(school, worker, principal, count: int) -> None:
    """Cases the wizard has nothing to do with: a few with records, the rest just opened."""
    for i in range(count):
        if i % 4 == 0:
            make_case(school, worker, principal, state=CaseState.IN_PROGRESS)
        else:
            open_case(school, worker, learner_name=f"Học sinh {i} (giả định)")


def post_first_step(client, kind: str, case: Case | None) -> tuple[int, int, str]:
    """Start a new draft, post its first step; the number of queries of that POST."""
    stepper = STEPPERS[kind]
    draft = stepper.start(client, case)
    step, answers = first_step(kind)
    with CaptureQueriesContext(connection) as captured:
        response = stepper.post(client, draft, step, answers)
    draft.refresh_from_db()
    return response.status_code, len(captured.captured_queries), draft.current_step


@pytest.mark.parametrize("kind", ["intake", "assessment", "plan", "review"])
def test_wizard_step_post_runs_the_same_queries_with_3_and_40_other_cases(
    kind, school, worker, principal, client
):
    state = STEPPERS[kind].case_state
    case = make_case(school, worker, principal, state=state) if state else None
    client.force_login(worker)
    add_other_cases(school, worker, principal, 3)
    status_few, few, step_few = post_first_step(client, kind, case)
    add_other_cases(school, worker, principal, 37)
    status_many, many, step_many = post_first_step(client, kind, case)

    assert Case.objects.filter(school=school).count() >= 40
    # The step was accepted: the draft moved on to the next step.
    assert status_few == status_many == 302
    assert step_few == step_many != first_step(kind)[0]
    assert many == few
    assert many <= BOUND + AUDIT_LOCK.get(connection.vendor, 0)
