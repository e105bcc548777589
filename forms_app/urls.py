"""The case area's URLs, mounted in the Wagtail admin under ``ho-so/``.

See ``wagtail_hooks_wizards``: being inside the admin gives them its sign-in and
its ``access_admin`` check; each view checks the case role and the object itself.
Each wizard gets a start URL and a step URL from its ``url_slug`` and
``url_base``; the case actions and the print views keep their URLs in modules of
their own.
"""

from django.urls import path

from forms_app import urls_actions, urls_export, urls_print, views
from forms_app.wizards import WIZARDS

app_name = "forms_app"

urlpatterns = [
    path("nhap/", views.drafts, name="drafts"),
    *urls_actions.urlpatterns,
    *urls_print.urlpatterns,
    *urls_export.urlpatterns,
]

for _wizard in WIZARDS.values():
    urlpatterns += [
        path(
            f"{_wizard.url_slug}/",
            views.StartDraftView.as_view(wizard_class=_wizard),
            name=f"{_wizard.url_base}_start",
        ),
        path(
            f"{_wizard.url_slug}/<uuid:draft_id>/<str:step>/",
            _wizard.as_view(),
            name=f"{_wizard.url_base}_step",
        ),
    ]
