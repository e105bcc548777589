"""Every step of every wizard against random and hostile posts (property-based).

Oversized text, control characters, HTML and script, SQL fragments, odd numbers
and dates, unknown and repeated fields, missing fields and invalid UTF-8: the
wizard must answer 200, 302 or 400 (never a 500), keep the draft and the steps
already filled unchanged, and never send a posted script back unescaped.
"""

import math
from urllib.parse import quote_from_bytes

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from forms_app.models import WizardDraft
from forms_app.wizards import WIZARDS
from tests.forms_app.factories import make_case
from tests.forms_app.wizards.stepping import STEPPERS, Stepper

# At least this many posts in all, spread over the steps of the four wizards.
TOTAL_EXAMPLES = 2000
STEPS = sum(len(wizard.form_list) for wizard in WIZARDS.values())
PER_STEP = math.ceil(TOTAL_EXAMPLES / STEPS)

SCRIPT = "<script>alert(1)</script>"
HOSTILE = [
    "",
    "x" * 100_000,
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\u202eevil",
    "\ufffd",
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE forms_app_case;--",
    "1 OR 1=1",
    "99999999999999999999999999",
    "-1",
    "-99999999999",
    "1e308",
    "NaN",
    "0000-00-00",
    "2026-02-30",
    "9999-12-31",
    "25:61",
    "yes",
    "no",
    "true",
    "0",
    "1",
    "[]",
    '{"a": 1}',
]
values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=50))
BUTTONS = [None, "wizard_save_and_leave", "wizard_goto_step"]


def payload_strategy(step: str, field_names: list[str]):
    """A POST as a dict of lists: the step's fields (some missing, some repeated) and extras."""
    names = [f"{step}-{name}" for name in field_names] + [
        f"{step}-unknown",
        "unknown",
        f"{step}-items-0-note",
        f"{step}-items-TOTAL_FORMS",
    ]
    return st.tuples(
        st.dictionaries(st.sampled_from(names), st.lists(values, min_size=1, max_size=3)),
        st.sampled_from(BUTTONS),
    )


def start_draft(client: Client, stepper: Stepper, school, worker, principal) -> WizardDraft:
    """A new draft of ``stepper``'s wizard, on a case in the state it starts from."""
    state = stepper.case_state
    case = make_case(school, worker, principal, state=state) if state is not None else None
    return stepper.start(client, case)


def assert_no_live_script(content: bytes) -> None:
    assert b"<script>alert" not in content


@pytest.mark.parametrize("code", list(WIZARDS), ids=lambda code: WIZARDS[code].url_base)
def test_every_step_survives_hostile_posts(code, school, worker, principal):
    wizard = WIZARDS[code]
    stepper = STEPPERS[wizard.url_base]
    client = Client()
    client.force_login(worker)
    draft = start_draft(client, stepper, school, worker, principal)
    management = stepper.management
    first = wizard.get_first_step()
    # A step filled earlier, which no later post may change.
    kept = {f"{first}-kept": ["giữ nguyên"]}

    def fuzz(step: str, field_names: list[str]) -> None:
        WizardDraft.objects.filter(pk=draft.pk).update(
            steps={"data": {first: kept}, "extra": {}}, current_step=first
        )

        @settings(max_examples=PER_STEP)
        @given(payload_strategy(step, field_names))
        def post(generated):
            data, button = generated
            body = {management: step, **data}
            if button == "wizard_goto_step":
                body[button] = first
            elif button:
                body[button] = "1"
            response = client.post(stepper.step_url(draft, step), body)
            assert response.status_code in (200, 302, 400), response.status_code
            assert_no_live_script(response.content)
            after = WizardDraft.objects.get(pk=draft.pk)
            assert after.record_id is None or after.submitted_at is not None
            if after.record_id is None and step != first:
                assert after.steps["data"].get(first) == kept

        post()

    for step, form_class in wizard.form_list:
        field_names = list(form_class.base_fields)
        fuzz(step, field_names)

        # Invalid UTF-8 and a control-laden body, sent as raw bytes.
        raw = (
            quote_from_bytes(management.encode()).encode()
            + b"="
            + step.encode()
            + b"&"
            + quote_from_bytes(f"{step}-{(field_names or ['text'])[0]}".encode()).encode()
            + b"=%ff%fe%ed%a0%80%00"
        )
        response = client.post(
            stepper.step_url(draft, step), raw, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code in (200, 302, 400)

        # Whatever was stored renders escaped on the step's page.
        page = client.get(stepper.step_url(draft, step), follow=True)
        assert page.status_code == 200
        assert_no_live_script(page.content)

    assert WizardDraft.objects.filter(pk=draft.pk).exists()


def test_a_stored_script_is_escaped_on_the_step_page(school, worker, principal):
    stepper = STEPPERS[WIZARDS["01"].url_base]
    client = Client()
    client.force_login(worker)
    draft = start_draft(client, stepper, school, worker, principal)
    client.post(
        stepper.step_url(draft, "source"),
        {"intake_wizard-current_step": "source", "source-channel": SCRIPT},
    )
    draft.refresh_from_db()
    assert draft.steps["data"]["source"]["source-channel"] == [SCRIPT]

    page = client.get(stepper.step_url(draft, "source"))

    assert_no_live_script(page.content)
