"""URLs of the printable layout and the PDF of each record (Mẫu 01–04).

``template`` is a ``TemplateCode`` value ("01"–"04"); other modules link here by
the names ``record_print`` and ``record_pdf``.
"""

from django.urls import path

from forms_app import views_print

urlpatterns: list = [
    path("in/<str:template>/<int:pk>/", views_print.record_print, name="record_print"),
    path("in/<str:template>/<int:pk>/pdf/", views_print.record_pdf, name="record_pdf"),
    # The whole case in one PDF; <pk> is the case's.
    path("in/ho-so/<int:pk>/ho-so.pdf", views_print.case_bundle_pdf, name="case_bundle_pdf"),
]
