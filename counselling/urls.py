"""URLs of the counselling log and activities, mounted in the Wagtail admin under ``so-tu-van/``."""

from django.urls import path

from counselling.views import activities, entries

app_name = "counselling"

urlpatterns = [
    path("", entries.EntryListView.as_view(), name="entries"),
    path("moi/", entries.EntryFormView.as_view(), name="entry_new"),
    path("<int:pk>/", entries.EntryDetailView.as_view(), name="entry"),
    path("<int:pk>/sua/", entries.EntryFormView.as_view(), name="entry_edit"),
    path("hoat-dong/", activities.ActivityListView.as_view(), name="activities"),
    path("hoat-dong/moi/", activities.ActivityFormView.as_view(), name="activity_new"),
    path("hoat-dong/<int:pk>/", activities.ActivityFormView.as_view(), name="activity_edit"),
]
