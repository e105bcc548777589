"""The case area's URLs, mounted in the Wagtail admin under ``ho-so/``.

Mounted by ``wagtail_hooks.register_case_area_urls``: being inside the admin gives
them its sign-in and its ``access_admin`` check; each view checks the case role
and the object itself (:mod:`forms_app.cases.policy`). Each wizard gets a start
URL and a step URL from its ``url_slug`` and ``url_base``.
"""

from django.urls import path

from forms_app.printing import views as printing
from forms_app.views import actions, drafts, export, todo
from forms_app.wizards import WIZARDS

app_name = "forms_app"

urlpatterns = [
    path("nhap/", drafts.drafts, name="drafts"),
    path("nhap/<uuid:draft_id>/xoa/", drafts.delete_draft, name="draft_delete"),
    path("viec-can-lam/", todo.todo, name="todo"),
    # Actions on a case besides the wizards: decisions, referral, closing.
    path(
        "ke-hoach/<int:plan_pk>/quyet-dinh/", actions.PlanDecideView.as_view(), name="plan_decide"
    ),
    path("ho-so/<int:case_pk>/bat-dau/", actions.CaseStartView.as_view(), name="case_start"),
    path("ho-so/<int:case_pk>/chuyen-tuyen/", actions.ReferCaseView.as_view(), name="case_refer"),
    path(
        "chuyen-tuyen/<int:referral_pk>/da-gui/",
        actions.ReferralSentView.as_view(),
        name="referral_sent",
    ),
    path("ho-so/<int:case_pk>/dong/", actions.CloseCaseView.as_view(), name="case_close"),
    # Printing: ``template`` is a TemplateCode value ("01"–"04").
    path("in/<str:template>/<int:pk>/", printing.record_print, name="record_print"),
    path("in/<str:template>/<int:pk>/pdf/", printing.record_pdf, name="record_pdf"),
    path("in/ho-so/<int:pk>/ho-so.pdf", printing.case_bundle_pdf, name="case_bundle_pdf"),
    # The principal's export of the school's case list; the suffix is csv or xlsx.
    path("xuat/<int:school_pk>.<str:fmt>", export.export_cases, name="case_export"),
]

for _wizard in WIZARDS.values():
    urlpatterns += [
        path(
            f"{_wizard.url_slug}/",
            drafts.StartDraftView.as_view(wizard_class=_wizard),
            name=f"{_wizard.url_base}_start",
        ),
        path(
            f"{_wizard.url_slug}/<uuid:draft_id>/<str:step>/",
            _wizard.as_view(),
            name=f"{_wizard.url_base}_step",
        ),
    ]
