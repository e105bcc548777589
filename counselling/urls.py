"""The counselling log and activities (counselling.views)."""

app_name = "counselling"
urlpatterns: list = []
