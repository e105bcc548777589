"""A case's page (modeladmin's inspect view) and its edit form.

The page starts with the next steps the user may take
(:func:`forms_app.admin.next_steps.case_actions`), because it is where a worker or
the principal lands after every form and every to-do item; then the case's
details and timeline, and each of its records in short, as its printed form
describes it (:mod:`forms_app.printing.summary`). Opening either screen is a read
of a child's file and goes to the audit.

Both views are written against wagtail-modeladmin 2.5.0 (see each class).
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail_modeladmin.views import EditView, InspectView, ModelFormView

from audit import log as audit_log
from audit.access import can_read_audit
from audit.models import Action as AuditAction
from forms_app.admin.case_list import deadline_text
from forms_app.admin.next_steps import case_actions, waiting_note
from forms_app.cases import policy
from forms_app.display import local_date, local_moment, person_name
from forms_app.models import Case, CaseEvent, CaseState, IssueCategory
from forms_app.printing.summary import case_summaries

# Editing ------------------------------------------------------------------------


class CaseEditForm(WagtailAdminModelForm):
    """The learner's details and the assignment; state, school and deadlines move elsewhere."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        case = self.instance
        if "assigned_worker" in self.fields:
            field = self.fields["assigned_worker"]
            field.queryset = get_user_model().objects.filter(
                Q(pk__in=policy.case_staff(case.school).values("pk"))
                | Q(pk=case.assigned_worker_id)
            )
            field.label_from_instance = person_name
        if "categories" in self.fields and case.pk:
            self.fields["categories"].queryset = IssueCategory.objects.filter(
                Q(active=True) | Q(pk__in=case.categories.values("pk"))
            )


class CaseEditView(EditView):
    """The learner's details and the assignment; every opening and change is audited.

    Written against wagtail-modeladmin 2.5.0's EditView: it relies on ``instance``,
    ``url_helper``, ``pk_quoted`` and ``dispatch`` answering after the permission
    check, and :meth:`form_valid` calls ``ModelFormView.form_valid`` to skip
    ``EditView.form_valid`` (its log entry). A modeladmin that changes these is
    caught by audit's test_recording.py
    ``test_opening_and_changing_the_learner_details_are_recorded_without_values``,
    forms_app's test_permissions.py
    ``test_edit_changes_assignment_records_it_and_offers_only_own_school_staff`` and
    ``test_closed_case_cannot_be_edited``, and test_encryption.py
    ``test_case_edit_form_saves_the_learner``.
    """

    def get_meta_title(self) -> str:
        # modeladmin's "Editing %(object)s" has no Vietnamese; the reference, never the name.
        return f"{self.get_page_title()} {self.instance}"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().dispatch(request, *args, **kwargs)
        # Reached only once modeladmin has checked the case may be changed; the
        # form shows the child's details, so showing it is a read.
        if request.method == "GET" and response.status_code == 200:
            audit_log.record(
                request,
                AuditAction.VIEW,
                case=self.instance,
                target=f"case-edit:{self.instance.pk}",
            )
        return response

    def get_success_url(self) -> str:
        return self.url_helper.get_action_url("inspect", self.pk_quoted)

    def form_valid(self, form: CaseEditForm) -> HttpResponse:
        changed = list(form.changed_data)
        # Skip modeladmin's log entry: the case keeps its own timeline, and
        # Wagtail's site history is readable by people who may not read cases.
        response = ModelFormView.form_valid(self, form)
        if changed:
            # Which fields changed, by name: never their old or new values.
            audit_log.record(
                self.request,
                AuditAction.CHANGE,
                case=self.instance,
                target=f"case:{self.instance.pk}",
                detail="fields: " + ", ".join(changed),
            )
            CaseEvent.objects.create(
                case=self.instance,
                actor=self.request.user,
                kind=(
                    CaseEvent.Kind.ASSIGNMENT
                    if "assigned_worker" in changed
                    else CaseEvent.Kind.NOTE
                ),
                note=", ".join(str(form.fields[name].label) for name in changed),
            )
        return response


# Reading --------------------------------------------------------------------------


def audit_trail_url(user, case: Case) -> str | None:
    """The case's access log, for those who may read its school's audit (see audit.access)."""
    if not can_read_audit(user, case.school_id):
        return None
    return reverse("audit:case_trail", args=[case.pk])


class CaseInspectView(InspectView):
    """A case's page: what the user can do next, its details, timeline and records.

    The next steps come first, because the page is where a worker or the
    principal lands after every form and every to-do item.

    Written against wagtail-modeladmin 2.5.0's InspectView: it extends
    ``get_fields_dict``, ``get_field_display_value`` and ``get_context_data``,
    audits after ``dispatch`` (which answers only once the case may be read), and
    its template (forms_app/case_inspect.html) fills the ``fields_output`` and
    ``footer`` blocks of modeladmin/inspect.html. A modeladmin that changes these
    is caught by audit's test_recording.py ``test_opening_the_case_page_is_one_view``
    and ``test_a_case_page_refused_writes_nothing``, forms_app's test_permissions.py
    ``test_inspect_view_by_role_and_school`` and
    ``test_inspect_view_shows_timeline_and_records``, and test_actions.py
    ``test_case_page_links_each_record_to_its_print_and_pdf``.
    """

    # "Inspecting", modeladmin's title, says nothing to a case worker.
    page_title = _("Case")

    def get_meta_title(self) -> str:
        # The reference, never the learner's name: the title shows in tabs and history.
        return f"{self.get_page_title()} {self.instance}"

    def get_field_label(self, field_name: str, field=None) -> str:
        # modeladmin shows verbose names as they are, lower case ("số hồ sơ").
        return capfirst(super().get_field_label(field_name, field))

    def get_field_display_value(self, field_name: str, field=None):
        value = getattr(self.instance, field_name, None)
        if field_name == "next_deadline":
            text = deadline_text(self.instance)
            if not text:
                return self.model_admin.get_empty_value_display(field_name)
            if self.instance.is_overdue:
                return format_html(
                    '{} · <strong class="w-status w-status--label">{}</strong>',
                    text,
                    capfirst(_("overdue")),
                )
            return text
        if isinstance(value, get_user_model()):
            return person_name(value)
        # modeladmin would write Django's long format ("00:19 Ngày 03 tháng 12 năm 2026").
        if isinstance(value, datetime.datetime):
            return local_moment(value)
        if isinstance(value, datetime.date):
            return local_date(value)
        return super().get_field_display_value(field_name, field)

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().dispatch(request, *args, **kwargs)
        # Reached only once modeladmin has checked the case may be read.
        if response.status_code == 200:
            audit_log.record(
                request, AuditAction.VIEW, case=self.instance, target=f"case:{self.instance.pk}"
            )
        return response

    def get_context_data(self, **kwargs) -> dict:
        kwargs.setdefault("case_actions", case_actions(self.request.user, self.instance))
        kwargs.setdefault("waiting_note", waiting_note(self.request.user, self.instance))
        kwargs.setdefault("audit_trail_url", audit_trail_url(self.request.user, self.instance))
        # Before the fields: the case's categories are one of them, and its
        # records' descriptions read the same loaded case.
        kwargs.setdefault("record_summaries", case_summaries(self.instance))
        return super().get_context_data(**kwargs)

    def get_fields_dict(self) -> list[dict]:
        """The case's fields, then its timeline; the records follow in the template."""
        events = CaseEvent.objects.filter(case=self.instance).select_related("actor")
        timeline = self.timeline(list(events), self.model_admin.get_empty_value_display())
        return [
            *super().get_fields_dict(),
            {"label": capfirst(CaseEvent._meta.verbose_name_plural), "value": timeline},
        ]

    def timeline(self, events: list[CaseEvent], empty: str) -> SafeString | str:
        if not events:
            return empty
        rows = []
        for event in events:
            if event.to_state:
                change = format_html(
                    "{} → {}",
                    CaseState(event.from_state).label if event.from_state else "",
                    CaseState(event.to_state).label,
                )
            else:
                change = ""
            rows.append(
                (
                    timezone.localtime(event.at).isoformat(),
                    local_moment(event.at),
                    person_name(event.actor),
                    event.get_kind_display(),
                    change,
                    event.note,
                )
            )
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                '<li><time datetime="{}">{}</time> · {} · {} {} {}</li>',
                rows,
            ),
        )
