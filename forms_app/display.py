"""How the case area names a person, writes a moment or a date, and links to a case.

One way each, so the case page, the printed records, the export and the to-do
list never write the same thing two ways.
"""

import datetime

from django.urls import reverse
from django.utils import formats, timezone

# The case's page is modeladmin's "inspect" view of the case list.
CASE_PAGE_URL_NAME = "forms_app_case_modeladmin_inspect"


def person_name(user) -> str:
    """A staff member as a form signs them: full name, else the user name; "" for nobody."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def local_moment(value: datetime.datetime | None) -> str:
    """A moment in the school's time zone, as forms write it: "05/03/2026 17:00"."""
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "d/m/Y H:i")


def local_date(value: datetime.date | None) -> str:
    """A date, or a moment in local time, in the language's own short format."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.localize(value)


def case_url(case_id: int | None) -> str:
    """The case's page, or the drafts list while there is no case yet (a draft of Mẫu 01)."""
    if case_id is None:
        return reverse("forms_app:drafts")
    return reverse(CASE_PAGE_URL_NAME, args=[case_id])
