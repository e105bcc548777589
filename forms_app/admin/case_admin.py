"""The case list and page registered with wagtail-modeladmin, narrowed to the case policy.

Every view of one case answers 404 for a case the user may not read
(:func:`forms_app.cases.policy.get_case_or_404`), before modeladmin's own checks,
which would answer 403; nothing is deleted; "add" goes to the intake wizard,
the only place a case reference is made.
"""

from django import forms
from django.contrib.admin import display
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail_modeladmin.helpers import AdminURLHelper, ButtonHelper, PermissionHelper
from wagtail_modeladmin.helpers.search import BaseSearchHandler
from wagtail_modeladmin.options import ModelAdmin

from forms_app.admin.case_list import CaseIndexView, deadline_text, overdue_label
from forms_app.admin.case_page import CaseEditForm, CaseEditView, CaseInspectView
from forms_app.admin.filters import AssignedWorkerFilter, CategoryFilter, OverdueFilter
from forms_app.cases import policy
from forms_app.display import person_name
from forms_app.models import (
    Case,
)
from schools.roles import is_staff_only

INTAKE_START_URL_NAME = "forms_app:intake_start"


def intake_start_url() -> str:
    """Where a new case starts: the Mẫu 01 wizard."""
    return reverse(INTAKE_START_URL_NAME)


# Permissions, URLs, buttons, search ------------------------------------------


class CasePermissionHelper(PermissionHelper):
    """Answers modeladmin's questions from forms_app.cases.policy, not from model permissions."""

    def user_can_list(self, user) -> bool:
        return policy.can_list_cases(user)

    def user_can_create(self, user) -> bool:
        # Anyone holding a case role at some school may open a case there
        # (policy.can_open_case); read from the roles cached on the user,
        # not from a query for the schools.
        return bool(policy.case_school_ids(user))

    def user_can_inspect_obj(self, user, obj: Case) -> bool:
        return policy.can_view_case(user, obj)

    def user_can_edit_obj(self, user, obj: Case) -> bool:
        return policy.can_change_case(user, obj)

    def user_can_delete_obj(self, user, obj: Case) -> bool:
        return policy.can_delete_case(user, obj)


class CaseURLHelper(AdminURLHelper):
    """Sends "add" to the intake wizard: only an intake report opens a case."""

    @property
    def create_url(self) -> str:
        return intake_start_url()


# Stands for a case's id in an admin URL reversed once per list (CaseButtonHelper.action_url).
_PK_PLACEHOLDER = "__case_pk__"


class CaseButtonHelper(ButtonHelper):
    """Inspect first; the buttons' words translated once per list, not once per row."""

    @cached_property
    def _button_texts(self) -> dict[str, tuple[str, str]]:
        name = {"object": self.verbose_name}
        return {
            "inspect": (str(_("Inspect")), str(_("Inspect this %(object)s")) % name),
            "edit": (str(_("Edit")), str(_("Edit this %(object)s")) % name),
        }

    def action_url(self, action: str, pk) -> str:
        """The URL of ``action`` on case ``pk``, reversed once per list and filled in per row.

        A reverse() in the admin's URLconf costs more than the rest of a row.
        """
        patterns = self.__dict__.setdefault("_url_patterns", {})
        if action not in patterns:
            patterns[action] = self.url_helper.get_action_url(action, _PK_PLACEHOLDER)
        return patterns[action].replace(_PK_PLACEHOLDER, quote(str(pk)))

    def _button(self, action: str, pk, classnames: list[str], exclude) -> dict:
        label, title = self._button_texts[action]
        return {
            "url": self.action_url(action, pk),
            "label": label,
            "classname": self.finalise_classname(classnames, exclude or []),
            "title": title,
        }

    def inspect_button(self, pk, classnames_add=None, classnames_exclude=None) -> dict:
        classnames = self.inspect_button_classnames + (classnames_add or [])
        return self._button("inspect", pk, classnames, classnames_exclude)

    def edit_button(self, pk, classnames_add=None, classnames_exclude=None) -> dict:
        classnames = self.edit_button_classnames + (classnames_add or [])
        return self._button("edit", pk, classnames, classnames_exclude)

    def get_primary_button(self, obj: Case) -> dict | None:
        # Reading a case is the common task; editing is one click further.
        if self.permission_helper.user_can_inspect_obj(self.request.user, obj):
            return self.inspect_button(obj.pk)
        return super().get_primary_button(obj)


class CaseSearchHandler(BaseSearchHandler):
    """Finds a case by (part of) its reference, or by the learner's full name typed exactly.

    Names are encrypted, so a name is found through its keyed hash
    (``Case.learner_name_index``): letter case, diacritics and extra spaces do not
    matter ("nguyen van an" finds "Nguyễn Văn An"), and a fragment of a name finds
    nothing, so the list cannot be browsed for a child by guessing letters.
    """

    def search_queryset(self, queryset: QuerySet[Case], search_term: str, **kwargs) -> QuerySet:
        term = " ".join(search_term.split())
        if not term:
            return queryset
        return queryset.filter(Q(reference__icontains=term) | Case.name_lookup(term))


class CaseAdmin(ModelAdmin):
    model = Case
    menu_label = _("Case records")
    menu_icon = "clipboard-list"
    menu_order = 250
    # The list is one entry of the "Case records" submenu (forms_app.admin.menu).
    add_to_admin_menu = False

    list_display = (
        "reference",
        "category_names",
        "state",
        "worker",
        "deadline",
        "overdue",
    )
    list_filter = ("state", CategoryFilter, AssignedWorkerFilter, OverdueFilter)
    list_per_page = 25
    # The learner's name is searched through its hash by CaseSearchHandler.
    search_fields = ("reference",)
    search_handler_class = CaseSearchHandler

    index_view_class = CaseIndexView
    # modeladmin's index with the rows built by CaseIndexView.case_row.
    index_template_name = "forms_app/case_index.html"
    inspect_view_enabled = True
    inspect_view_class = CaseInspectView
    inspect_template_name = "forms_app/case_inspect.html"
    inspect_view_fields = [
        "reference",
        "school",
        "state",
        "assigned_worker",
        "received_at",
        "next_deadline",
        "learner_name",
        "learner_birth_date",
        "learner_age_estimate",
        "learner_gender",
        "learner_class",
        "categories",
        "created_by",
        "created_at",
        "updated_at",
    ]
    # The case's own timeline is its history; Wagtail's log is not kept for cases.
    history_view_enabled = False
    edit_view_class = CaseEditView

    permission_helper_class = CasePermissionHelper
    url_helper_class = CaseURLHelper
    button_helper_class = CaseButtonHelper

    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("learner_name"), FieldPanel("learner_class")]),
            FieldRowPanel(
                [
                    FieldPanel("learner_birth_date"),
                    FieldPanel("learner_age_estimate"),
                    FieldPanel("learner_gender"),
                ]
            ),
            FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
            FieldPanel("assigned_worker"),
        ],
        base_form_class=CaseEditForm,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        queryset = (
            policy.cases_for(request.user)
            .select_related("assigned_worker")
            # A plain list per case (see category_names): cheaper to read per row
            # than the related manager's queryset.
            .prefetch_related(Prefetch("categories", to_attr="category_list"))
        )
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    @display(description=Case._meta.get_field("categories").verbose_name)
    def category_names(self, obj: Case) -> str:
        categories = getattr(obj, "category_list", None)
        if categories is None:
            categories = obj.categories.all()
        return ", ".join(category.name for category in categories)

    @display(
        description=Case._meta.get_field("assigned_worker").verbose_name,
        ordering="assigned_worker__last_name",
    )
    def worker(self, obj: Case) -> str:
        return person_name(obj.assigned_worker)

    @display(
        description=Case._meta.get_field("next_deadline").verbose_name, ordering="next_deadline"
    )
    def deadline(self, obj: Case) -> str:
        return deadline_text(obj)

    @display(description=_("overdue"), ordering="next_deadline")
    def overdue(self, obj: Case) -> SafeString | str:
        # A label, not Django admin's boolean icon: that icon is a static file of
        # django.contrib.admin, which is not installed.
        if obj.is_overdue:
            return overdue_label(translation.get_language())
        return ""

    # Every view of one case answers 404 for a case the user may not read, before
    # modeladmin's own checks (which would answer 403).
    def inspect_view(self, request: HttpRequest, instance_pk: str) -> HttpResponse:
        policy.get_case_or_404(request.user, instance_pk)
        return super().inspect_view(request, instance_pk)

    def edit_view(self, request: HttpRequest, instance_pk: str) -> HttpResponse:
        policy.get_case_or_404(request.user, instance_pk)
        return super().edit_view(request, instance_pk)

    def delete_view(self, request: HttpRequest, instance_pk: str) -> HttpResponse:
        policy.get_case_or_404(request.user, instance_pk)
        return super().delete_view(request, instance_pk)

    def create_view(self, request: HttpRequest) -> HttpResponse:
        if not self.permission_helper.user_can_create(request.user):
            if is_staff_only(request.user):
                raise Http404
            raise PermissionDenied
        return redirect(intake_start_url())

    def register_indexing(self) -> None:
        # Wagtail's reference index would show case references in the "usage"
        # pages of categories and receiving bodies, which administrators read.
        pass
