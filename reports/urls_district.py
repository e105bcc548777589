"""The district officer's screens (reports.views.district): frozen figures only."""

from django.urls import path

from reports.views import district

app_name = "district"

urlpatterns = [
    path("", district.overview, name="overview"),
    path("bao-cao/<int:pk>/", district.report, name="report"),
    path("bao-cao/<int:pk>/tiep-nhan/", district.accept, name="accept"),
    path("bao-cao/<int:pk>/tra-lai/", district.return_report, name="return"),
    path("xlsx/", district.xlsx, name="xlsx"),
    path("pdf/", district.pdf, name="pdf"),
]
