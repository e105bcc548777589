"""The audit's entries in words: what the stored codes ("case:15", "draft:…", "bundle") mean.

The views write short codes into ``target`` and ``detail`` (a kind and an id, a
step's name, field names, a count), and those codes are hashed into the chain, so
they never change. A principal reading the trail or the report needs words: this
module is the one place that turns a stored entry into them, for the screens only.
A code no rule knows is shown as stored, so nothing an entry holds is hidden.

The case area's own words (a step's title, a field's label) are read from
``forms_app`` when an entry is shown, never imported with this module: the audit
is written by the case area and must import without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry

__all__ = ["EntryWords", "describe_detail", "describe_entry", "describe_target"]

# What each kind of target names ("<kind>:<id>", or the kind alone).
TARGET_KINDS = {
    "case": _("Case page"),
    "case-edit": _("Form for the case's details"),
    "case-list": _("Case list"),
    "todo": _("To-do list"),
    "drafts": _("My drafts"),
    "draft": _("Draft of a form"),
    "bundle": _("Whole case file (PDF)"),
    "file": _("Attached file"),
    "plan-decide": _("Decision on the plan"),
    "plan-approve": _("Approval of the plan"),
    "plan-return": _("Plan returned for changes"),
    "case-start": _("Start of the plan's work"),
    "case-refer": _("Referral of the case"),
    "referral-sent": _("Referral marked as sent"),
    "case-close": _("Closing of the case"),
    "audit-chain": _("Chain of the access log"),
    "learner": _("Learner on the school's list"),
    "learner-list": _("School's list of learners"),
    "learner-import": _("Import of a class list"),
    # The triage queue (concerns.views.triage)
    "triage-queue": _("Triage queue"),
    "concern": _("Concern received"),
    "concern-file": _("File sent with a concern"),
    "concern-open-case": _("Case opened from a concern"),
    "concern-attach": _("Concern added to a case"),
    "concern-reply": _("Reply to a help request"),
    "concern-close": _("Closing of a concern"),
    "concern-reopen": _("Re-opening of a concern"),
    "concern-release": _("Concern taken back from “set aside”"),
    "concern-keep-aside": _("Concern kept set aside as spam"),
    # A staff member's own concerns (concerns.views.staff)
    "my-concerns": _("Concerns I have raised"),
    # The counselling log and activities (counselling.views)
    "counselling-log": _("Counselling log"),
    "counselling-entry": _("Counselling entry"),
    "counselling-entry-new": _("New counselling entry"),
    "counselling-entry-edit": _("Change of a counselling entry"),
    "counselling-entry-delete": _("Deletion of a counselling entry"),
    "activity": _("Awareness activity"),
    # Reports (reports.views, reports.transitions)
    "report": _("School report"),
    "report-print": _("School report (print)"),
    "report-pdf": _("School report (PDF)"),
    "report-xlsx": _("School report (Excel)"),
    "report-submit": _("School report submitted to the district"),
    "report-accept": _("School report accepted by the district"),
    "report-return": _("School report returned by the district"),
}
FORM_TARGET = re.compile(r"mau-(\d{2})")
REPORT_TARGET = "audit-report"

STEP_DETAIL = re.compile(r"step: (?P<step>[\w-]+)")
FIELDS_DETAIL = re.compile(r"fields: (?P<fields>[\w, ]+)")
COUNT_DETAIL = re.compile(r"(?P<label>results|items|drafts|rows): (?P<count>\d+)")
CASES_EXPORT_DETAIL = re.compile(r"cases (?P<format>csv|xlsx)")
RECHAIN_DETAIL = re.compile(
    r"re-chained (?P<count>\d+) entries under key (?P<key>\S+?)"
    r"(?:; the old chain was broken at entry (?P<broken>\d+))?"
)
RETENTION_DETAIL = "retention"


@dataclass(frozen=True)
class EntryWords:
    """An entry's target and detail as the screens show them."""

    what: str
    detail: str


def describe_target(target: str) -> str:
    """``target`` in words: "case:15" reads "Trang hồ sơ", "mau-02:4" reads "Mẫu số 02"."""
    if not target:
        return ""
    kind, _sep, rest = target.partition(":")
    if kind in TARGET_KINDS:
        return str(TARGET_KINDS[kind])
    form = FORM_TARGET.fullmatch(kind)
    if form:
        return gettext("Form No. %(code)s") % {"code": form.group(1)}
    if kind == REPORT_TARGET and rest:
        return gettext("Access log report (%(format)s)") % {"format": rest.upper()}
    return target


def describe_detail(detail: str) -> str:
    """``detail`` in words: "step: conclusion" reads "Bước: Kết luận, đề xuất"."""
    if not detail:
        return ""
    if match := STEP_DETAIL.fullmatch(detail):
        return gettext("Step: %(step)s") % {"step": _step_title(match["step"])}
    if match := FIELDS_DETAIL.fullmatch(detail):
        names = [name.strip() for name in match["fields"].split(",") if name.strip()]
        labels = ", ".join(_case_field_label(name) for name in names)
        return gettext("Changed: %(fields)s") % {"fields": labels}
    if match := COUNT_DETAIL.fullmatch(detail):
        return _count_text(match["label"], int(match["count"]))
    if match := CASES_EXPORT_DETAIL.fullmatch(detail):
        return gettext("List of cases (%(format)s)") % {"format": match["format"].upper()}
    if detail == RETENTION_DETAIL:
        return gettext("Under the retention rules")
    if match := RECHAIN_DETAIL.fullmatch(detail):
        text = gettext("%(count)s entries re-chained under key %(key)s") % {
            "count": match["count"],
            "key": match["key"],
        }
        if match["broken"]:
            text += "; " + gettext("the old chain was broken at entry %(entry)s") % {
                "entry": match["broken"]
            }
        return text
    return detail


def describe_entry(entry: AuditEntry) -> EntryWords:
    """What ``entry`` touched and its detail, in words (the stored codes stay as they are)."""
    detail = entry.detail
    if entry.target.startswith("file:") and re.fullmatch(r"[a-z0-9]{1,8}", detail or ""):
        # An upload keeps the file's extension: a type, shown as one.
        return EntryWords(describe_target(entry.target), detail.upper())
    return EntryWords(describe_target(entry.target), describe_detail(detail))


def _count_text(label: str, count: int) -> str:
    if label == "items":
        return ngettext("%(count)s task shown", "%(count)s tasks shown", count) % {"count": count}
    if label == "drafts":
        return ngettext("%(count)s draft shown", "%(count)s drafts shown", count) % {"count": count}
    if label == "rows":
        return ngettext("%(count)s row exported", "%(count)s rows exported", count) % {
            "count": count
        }
    return ngettext("%(count)s case found", "%(count)s cases found", count) % {"count": count}


@cache
def _step_titles() -> dict[str, object]:
    """Each wizard step's name and its form's title (lazy, so translated when shown).

    Steps that several templates share ("harm", "conclusion") have one title.
    """
    from forms_app.wizards import WIZARDS  # the case area, read only when shown

    titles: dict[str, object] = {}
    for wizard in WIZARDS.values():
        for step, form_class in getattr(wizard, "form_list", []):
            title = getattr(form_class, "title", None)
            if title:
                titles.setdefault(step, title)
    return titles


def _step_title(step: str) -> str:
    title = _step_titles().get(step)
    return str(title) if title else step


def _case_field_label(name: str) -> str:
    from django.core.exceptions import FieldDoesNotExist

    from forms_app.models import Case  # the case area, read only when shown

    try:
        return capfirst(str(Case._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return name
