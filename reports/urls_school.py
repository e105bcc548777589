"""The school's report screens (reports.views.school), mounted under ``bao-cao/``."""

from django.urls import path

from reports.views import school

app_name = "reports"

urlpatterns = [
    path("", school.ReportListView.as_view(), name="list"),
    path("tao/", school.ReportCreateView.as_view(), name="create"),
    path("<int:pk>/", school.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/nop/", school.ReportSubmitView.as_view(), name="submit"),
    path("<int:pk>/in/", school.ReportPrintView.as_view(), name="print"),
    path("<int:pk>/pdf/", school.ReportPdfView.as_view(), name="pdf"),
    path("<int:pk>/xlsx/", school.ReportXlsxView.as_view(), name="xlsx"),
]
