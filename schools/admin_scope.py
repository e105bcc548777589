"""Admin surfaces that hold things of several schools, scoped to the user's schools.

A snippet viewset that mixes in :class:`SchoolScopedViewSetMixin` lists only the rows
of the schools its user manages and puts all its object URLs (and its chooser's)
behind :mod:`schools.admin_gate`, so another school's row answers 404 everywhere. Its
form (:class:`SchoolScopedForm`, the model's ``base_form_class``) offers only those
schools and refuses any other, and refuses rows with no school (deployment-wide)
from anyone but an operator.
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from schools import admin_gate
from schools.tenancy import administered_schools, is_operator, scope_to_schools


class SchoolScopedViewSetMixin:
    """For a SnippetViewSet whose model belongs to a school through ``school_lookup``."""

    #: The path from the model to the school's primary key ("school", or "pk" for School).
    school_lookup = "school"

    def reachable(self, user) -> QuerySet:
        """What ``user`` may list and open: their schools' rows (all of them for operators)."""
        return scope_to_schools(self.model._default_manager.all(), user, self.school_lookup)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = self.reachable(request.user)
        ordering = getattr(self, "ordering", None)
        if isinstance(ordering, str):
            ordering = [ordering]
        if isinstance(ordering, list | tuple) and ordering:
            queryset = queryset.order_by(*ordering)
        return queryset

    def on_register(self) -> None:
        super().on_register()
        admin_gate.register(
            self.model,
            self.reachable,
            self.url_namespace,
            self.get_chooser_admin_url_namespace(),
        )


class SchoolScopedForm(WagtailAdminModelForm):
    """Offers and accepts only the schools the user manages in the ``school`` field."""

    #: Message when a non-operator leaves the school empty.
    school_required_message = _("Choose your school.")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("school")
        if field is None or self.for_user is None:
            return
        field.queryset = administered_schools(self.for_user).order_by("name")
        # A plain list of the user's schools, not a chooser of every school.
        field.widget = forms.Select(choices=field.choices)
        if not is_operator(self.for_user):
            field.required = True
            field.empty_label = None
            field.error_messages["required"] = self.school_required_message
