"""Wagtail's Users screens, bound to the schools a user administers.

Wagtail lets anyone with "change user" list and edit every account, tick
"Administrator" (superuser) and put anyone in any group. Here a school's
administrator lists and edits only the accounts that work at their schools alone
(:func:`schools.tenancy.users_managed_by`), never sees the superuser box or the
groups (groups follow memberships, :mod:`schools.roles`), and creates an account
together with its first role at one of their schools, so a new account is never
left belonging to nobody. Operators (superusers) keep Wagtail's screens as they are.
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as wagtail_users

from schools import admin_gate
from schools.models import Membership, School
from schools.roles import Role
from schools.tenancy import (
    administered_schools,
    grantable_roles,
    is_operator,
    may_grant,
    users_managed_by,
)

# Fields a school's administrator never sees on an account.
OPERATOR_ONLY_FIELDS = ("is_superuser", "groups")


def _drop_operator_fields(form: forms.Form, user) -> None:
    if not is_operator(user):
        for name in OPERATOR_ONLY_FIELDS:
            form.fields.pop(name, None)


class StaffUserCreationForm(UserCreationForm):
    """A new account and its first role, at a school the creator administers."""

    school = forms.ModelChoiceField(
        queryset=School.objects.none(), label=_("School"), required=False
    )
    role = forms.ChoiceField(label=_("Role"), required=False)

    def __init__(self, *args, for_user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        _drop_operator_fields(self, for_user)
        self.fields["school"].queryset = administered_schools(for_user).order_by("name")
        offered = set()
        for school in self.fields["school"].queryset:
            offered |= grantable_roles(for_user, school.pk)
        self.fields["role"].choices = [("", "---------")] + [
            (value, label) for value, label in Role.choices if value in offered
        ]
        if not is_operator(for_user):
            self.fields["school"].required = True
            self.fields["school"].empty_label = None
            self.fields["role"].required = True

    def clean(self) -> dict:
        cleaned = super().clean()
        school, role = cleaned.get("school"), cleaned.get("role")
        if bool(school) != bool(role):
            self.add_error("role", _("Choose both the school and the role, or neither."))
        elif school and not may_grant(self.for_user, school.pk, role, None):
            self.add_error(
                "role",
                _("You cannot give the role “%(role)s” at this school.")
                % {"role": Role(role).label},
            )
        return cleaned

    @transaction.atomic
    def save(self, commit: bool = True):
        user = super().save(commit=commit)
        if commit and self.cleaned_data.get("school") and self.cleaned_data.get("role"):
            Membership.objects.create(
                user=user, school=self.cleaned_data["school"], role=self.cleaned_data["role"]
            )
        return user


class StaffUserEditForm(UserEditForm):
    def __init__(self, *args, for_user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        _drop_operator_fields(self, for_user)


class _ForUserFormMixin:
    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["for_user"] = self.request.user
        return kwargs


class IndexView(wagtail_users.IndexView):
    def get_base_queryset(self) -> QuerySet:
        queryset = super().get_base_queryset()
        if is_operator(self.request.user):
            return queryset
        return queryset.filter(pk__in=users_managed_by(self.request.user).values("pk"))


class CreateView(_ForUserFormMixin, wagtail_users.CreateView):
    pass


class EditView(_ForUserFormMixin, wagtail_users.EditView):
    pass


class StaffUserViewSet(wagtail_users.UserViewSet):
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    # The new account's school and role among its fields.
    create_template_name = "schools/user_create.html"

    def get_form_class(self, for_update: bool = False):
        return StaffUserEditForm if for_update else StaffUserCreationForm

    def on_register(self) -> None:
        super().on_register()
        admin_gate.register(self.model, users_managed_by, self.url_namespace)
