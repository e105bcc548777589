"""How the case area names a person, writes a moment or a date, and links to a case.

One way each, so the case page, the printed records, the export and the to-do
list never write the same thing two ways.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

# The case's page is modeladmin's "inspect" view of the case list.
CASE_PAGE_URL_NAME = "forms_app_case_modeladmin_inspect"


def person_name(user) -> str:
    """A staff member as a form signs them: full name, else the user name; "" for nobody."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# One way to write a moment and a day, in every language: the short numeric form of
# Vietnamese documents (Django's Vietnamese formats are long: "Ngày 03 tháng 12 năm
# 2026", with the time first for a moment). strftime, not formats.date_format: these
# are written once per row of long lists.
MOMENT_FORMAT = "%d/%m/%Y %H:%M"
DATE_FORMAT = "%d/%m/%Y"


def local_moment(value: datetime.datetime | None) -> str:
    """A moment in the school's time zone, as forms write it: "05/03/2026 17:00"."""
    if value is None:
        return ""
    return timezone.localtime(value).strftime(MOMENT_FORMAT)


def local_date(value: datetime.date | None) -> str:
    """A day, "05/03/2026"; a moment gives its day in the school's time zone."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime(DATE_FORMAT)


def case_url(case_id: int | None) -> str:
    """The case's page, or the drafts list while there is no case yet (a draft of Mẫu 01)."""
    if case_id is None:
        return reverse("forms_app:drafts")
    return reverse(CASE_PAGE_URL_NAME, args=[case_id])
