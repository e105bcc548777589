"""The case page's details read as a form does: each label starts with a capital."""

import html
import re

from django.utils.text import capfirst

from forms_app.display import case_url
from forms_app.models import Case, CaseState
from tests.forms_app.factories import make_case


def test_case_page_labels_start_with_a_capital(staff, client):
    case = make_case(staff.school, staff.worker, staff.principal, state=CaseState.RECEIVED)
    client.force_login(staff.worker)
    page = html.unescape(client.get(case_url(case.pk)).content.decode())
    for name in ("reference", "school", "state"):
        label = str(Case._meta.get_field(name).verbose_name)
        assert re.search(rf">\s*{re.escape(capfirst(label))}\s*<", page), label
