"""A case's page (modeladmin's inspect view) and its edit form.

The page starts with the next steps the user may take (:func:`forms_app.cases.policy.case_actions`),
because it is where a worker or the principal lands after every form and every
to-do item; then the case's details, timeline and records. Opening either screen
is a read of a child's file and goes to the audit.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Model, Q
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
from forms_app.admin.next_steps import case_actions
from forms_app.cases import policy
from forms_app.display import local_date, person_name
from forms_app.models import (
    Assessment,
    Case,
    CaseEvent,
    CaseState,
    IntakeReport,
    InterventionPlan,
    IssueCategory,
    Referral,
    Review,
    TemplateCode,
)

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
    """The learner's details and the assignment; every opening and change is audited."""

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


def _describe(obj: Model, names: list[str]) -> SafeString:
    """The named fields of a record as "label: value" pairs joined by " · ", empty ones left out."""
    parts = []
    for name in names:
        field = obj._meta.get_field(name)
        value = getattr(obj, f"get_{name}_display")() if field.choices else getattr(obj, name)
        if value is None or value == "":
            continue
        if isinstance(value, get_user_model()):
            value = person_name(value)
        elif isinstance(value, InterventionPlan):
            value = f"v{value.version}"
        elif isinstance(value, bool):
            value = _("Yes") if value else _("No")
        elif isinstance(value, datetime.date):
            value = local_date(value)
        parts.append((capfirst(field.verbose_name), value))
    return format_html_join(" · ", "{}: {}", parts)


def _record_links(code: str, record: Model) -> SafeString | str:
    """Links to the printable layout and the PDF of a record."""
    hint = f"{record._meta.verbose_name} · {local_date(record.created_at)}"
    links = [
        (reverse(name, args=[code, record.pk]), label, hint)
        for name, label in (("forms_app:record_print", _("Print")), ("forms_app:record_pdf", "PDF"))
    ]
    return format_html(
        " · {}",
        format_html_join(" · ", '<a href="{}">{}<span class="w-sr-only"> · {}</span></a>', links),
    )


def _record_list(
    records: list[Model], names: list[str], empty: str, code: str | None = None
) -> SafeString | str:
    if not records:
        return empty
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li>{} · {} · {}{}</li>",
            (
                (
                    local_date(record.created_at),
                    person_name(record.author),
                    _describe(record, [*names, "template_version", "legal_basis"]),
                    _record_links(code, record) if code else "",
                )
                for record in records
            ),
        ),
    )


def audit_trail_url(user, case: Case) -> str | None:
    """The case's access log, for those who may read its school's audit (see audit.access)."""
    if not can_read_audit(user, case.school_id):
        return None
    return reverse("audit:case_trail", args=[case.pk])


class CaseInspectView(InspectView):
    """A case's page: what the user can do next, its details, timeline and records.

    The next steps come first, because the page is where a worker or the
    principal lands after every form and every to-do item.
    """

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
        kwargs.setdefault("audit_trail_url", audit_trail_url(self.request.user, self.instance))
        return super().get_context_data(**kwargs)

    def get_fields_dict(self) -> list[dict]:
        case = self.instance
        empty = self.model_admin.get_empty_value_display()
        events = CaseEvent.objects.filter(case=case).select_related("actor")
        intake = IntakeReport.objects.filter(case=case).select_related("author")
        assessments = Assessment.objects.filter(case=case).select_related("author")
        plans = InterventionPlan.objects.filter(case=case).select_related("author", "decided_by")
        reviews = Review.objects.filter(case=case).select_related("author", "plan")
        referrals = Referral.objects.filter(case=case).select_related("author", "receiving_body")

        sections = [
            (CaseEvent._meta.verbose_name_plural, self.timeline(list(events), empty)),
            (
                IntakeReport._meta.verbose_name,
                _record_list(
                    list(intake),
                    ["received_at", "urgency", "referral_suggested", "informant_consented"],
                    empty,
                    TemplateCode.INTAKE,
                ),
            ),
            (
                Assessment._meta.verbose_name_plural,
                _record_list(list(assessments), ["conclusion"], empty, TemplateCode.ASSESSMENT),
            ),
            (
                InterventionPlan._meta.verbose_name_plural,
                _record_list(
                    list(plans),
                    [
                        "version",
                        "status",
                        "period_start",
                        "period_end",
                        "review_date",
                        "submitted_at",
                        "approval_due_at",
                        "decided_by",
                        "decided_at",
                    ],
                    empty,
                    TemplateCode.PLAN,
                ),
            ),
            (
                Review._meta.verbose_name_plural,
                _record_list(list(reviews), ["plan", "conclusion"], empty, TemplateCode.REVIEW),
            ),
            (
                Referral._meta.verbose_name_plural,
                _record_list(
                    list(referrals), ["receiving_body", "due_at", "sent_at", "consent_given"], empty
                ),
            ),
        ]
        return [
            *super().get_fields_dict(),
            *({"label": capfirst(label), "value": value} for label, value in sections),
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
                    local_date(event.at),
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
