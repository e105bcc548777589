"""The case area on the Wagtail dashboard: the "Việc cần làm" panel."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from wagtail.admin.ui.components import Component

from forms_app.cases.todo import PANEL_LIMIT, todo_for


class TodoPanel(Component):
    """The dashboard panel "Việc cần làm": the first tasks and a link to all of them.

    Added by the ``construct_homepage_panels`` hook for users with a case role only.
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
        }
