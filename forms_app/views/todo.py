"""The full "Việc cần làm" page: everything waiting for the user across their cases."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from audit import log as audit_log
from audit.models import Action as AuditAction
from forms_app.cases import policy
from forms_app.cases.todo import todo_for
from forms_app.models import Case
from forms_app.wizards import forbidden


@sensitive_post_parameters()
@sensitive_variables()
def todo(request: HttpRequest) -> HttpResponse:
    """Everything waiting for the user across their cases (and pages to review), overdue first."""
    if not policy.can_list_cases(request.user):
        return forbidden(request)
    tasks = todo_for(request.user)
    # Pages waiting for review are no case data: only case tasks are counted.
    case_items = [item for item in tasks.items if item.case_id is not None]
    schools = dict(
        Case.objects.filter(pk__in={item.case_id for item in case_items}).values_list(
            "pk", "school_id"
        )
    )
    counts: dict[int, int] = {}
    for item in case_items:
        school_id = schools.get(item.case_id)
        counts[school_id] = counts.get(school_id, 0) + 1
    # Only a page that lists cases is an access to case data.
    audit_log.record_counts(request, AuditAction.VIEW, counts, target="todo", label="items")
    return TemplateResponse(
        request,
        "forms_app/todo.html",
        {
            "todo": tasks,
            "items": tasks.items,
            "drafts_url": reverse("forms_app:drafts"),
            "next_url": request.get_full_path(),
        },
    )
