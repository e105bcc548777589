"""The case area on the Wagtail dashboard: the "Việc cần làm" panel."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from wagtail.admin.ui.components import Component

from forms_app.cases.todo import PANEL_LIMIT, todo_for


class TodoPanel(Component):
    """The dashboard panel "Việc cần làm": the first tasks and a link to all of them.

    Added by the ``construct_homepage_panels`` hook for users with a case role only.
    Pages waiting for the principal's review are among the tasks; Wagtail's own
    "Awaiting your review" panel stays, and its script (workflow-action.js) is
    what opens the "Request changes" modal from this panel too: it is on the
    dashboard whenever a page waits for this user, so the panel does not load it
    a second time (a second copy would open every modal twice).
    """

    name = "case_todo"
    template_name = "forms_app/includes/todo_panel.html"
    # Before Wagtail's own panels (workflow, recent edits): deadlines are legal ones.
    order = 50

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        todo = todo_for(self.request.user)
        return {
            "todo": todo,
            "items": todo.items[:PANEL_LIMIT],
            "more": max(len(todo.items) - PANEL_LIMIT, 0),
            "todo_url": reverse("forms_app:todo"),
            "drafts_url": reverse("forms_app:drafts"),
            # The approve buttons post from the dashboard and come back to it.
            "csrf_token": get_token(self.request),
            "next_url": self.request.get_full_path(),
        }
