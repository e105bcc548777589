"""URLs of the learners' screens, mounted in the Wagtail admin under ``hoc-sinh/``."""

from django.urls import path

from learners import views

app_name = "learners"

urlpatterns = [
    path("", views.LearnerListView.as_view(), name="list"),
    path("them/", views.LearnerAddView.as_view(), name="add"),
    path("<int:pk>/", views.LearnerEditView.as_view(), name="edit"),
    path("nhap/", views.ImportUploadView.as_view(), name="import"),
    path("nhap/xem-truoc/", views.ImportPreviewView.as_view(), name="import_preview"),
]
