"""The school's report screens (reports.views.school)."""

app_name = "reports"
urlpatterns: list = []
