"""The school's edit form: who may change the school and grant which role to whom.

Granting a role is the door to a child's record, so the form enforces
:mod:`schools.tenancy` row by row, on the server: a school's administrator changes
their school's contact details and staff, never its code (case references), its
district or its home page (the page rights of every role hang on it); they grant
and remove only the roles they may grant, never their own.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from schools.roles import Role
from schools.tenancy import is_operator, may_grant, role_choices_for, users_managed_by

# Fields that only the deployment's operators change once a school exists.
OPERATOR_FIELDS = ("code", "district", "root_page")


class SchoolForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None or is_operator(user):
            return
        for name in OPERATOR_FIELDS:
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Only the site's operator changes this.")
        formset = self.formsets.get("memberships")
        if formset is None:
            return
        school_id = self.instance.pk
        members = get_user_model().objects.filter(school_memberships__school_id=school_id)
        people = (
            (users_managed_by(user) | members)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        # Every row, the blank one the browser copies for "add" included, is built
        # from the formset's form class.
        limit_row = self._limit_row
        base_form = formset.form

        class LimitedMembershipForm(base_form):
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, **kwargs)
                limit_row(self, user, school_id, people)

        formset.form = LimitedMembershipForm
        for form in formset.__dict__.get("forms", ()):
            limit_row(form, user, school_id, people)

    @staticmethod
    def _limit_row(form, user, school_id, people) -> None:
        instance = form.instance
        current_role = instance.role if instance.pk else None
        if "user" in form.fields:
            form.fields["user"].queryset = people
        if "role" in form.fields:
            form.fields["role"].choices = [
                ("", "---------"),
                *role_choices_for(user, school_id, [current_role] if current_role else []),
            ]
        if instance.pk and not may_grant(user, school_id, instance.role, instance.user_id):
            # Shown, not changeable: their own roles, or a role they cannot grant.
            for name in ("user", "role"):
                if name in form.fields:
                    form.fields[name].disabled = True

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self._check_grants() and valid

    def _check_grants(self) -> bool:
        """Refuse every added, changed or removed role the user may not grant."""
        user = self.for_user
        formset = self.formsets.get("memberships")
        if user is None or formset is None or is_operator(user):
            return True
        school_id = self.instance.pk
        ok = True
        for form in formset.forms:
            if not form.has_changed() and not _deleting(formset, form):
                continue
            data = getattr(form, "cleaned_data", {}) or {}
            old = form.initial
            changes = []
            if form.instance.pk:
                changes.append((old.get("role"), old.get("user")))
            if not _deleting(formset, form):
                new_user = data.get("user")
                changes.append((data.get("role"), getattr(new_user, "pk", new_user)))
            for role, grantee in changes:
                if role and not may_grant(user, school_id, role, grantee):
                    form.add_error(None, _grant_message(user, role, grantee))
                    ok = False
                    break
        return ok


def _deleting(formset, form) -> bool:
    return bool(formset.can_delete and formset._should_delete_form(form))


def _grant_message(user, role: str, grantee) -> str:
    if grantee is not None and grantee == user.pk:
        return str(
            _(
                "You cannot change your own roles. Ask another administrator of the "
                "school or the site's operator to do it: two people are needed."
            )
        )
    return str(
        _(
            "You cannot give or remove the role “%(role)s”: only someone who holds it "
            "(or the site's operator) can. Case roles are given by the principal."
        )
        % {"role": Role(role).label}
    )
