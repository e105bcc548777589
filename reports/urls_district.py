"""The district officer's screens (reports.views.district): frozen figures only."""

app_name = "district"
urlpatterns: list = []
