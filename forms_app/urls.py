"""The case area's wizard URLs, mounted in the Wagtail admin under ``ho-so/``.

See ``wagtail_hooks_wizards``: being inside the admin gives them its sign-in and
its ``access_admin`` check; each view checks the case role itself.
"""

from django.urls import path

from forms_app import views
from forms_app.wizards import IntakeWizard

app_name = "forms_app"

urlpatterns = [
    path(
        "tiep-nhan/",
        views.StartDraftView.as_view(wizard_class=IntakeWizard),
        name="intake_start",
    ),
    path(
        "tiep-nhan/<uuid:draft_id>/<str:step>/",
        IntakeWizard.as_view(),
        name="intake_step",
    ),
    path("nhap/", views.drafts, name="drafts"),
]
