"""Admin URLs of "Thông báo" (registered under /admin/ by wagtail_hooks)."""

from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("thong-bao/", views.notification_list, name="list"),
    path("thong-bao/da-doc-tat-ca/", views.mark_all_read, name="mark_all_read"),
    path("thong-bao/cai-dat/", views.preferences, name="preferences"),
    path("thong-bao/<int:pk>/", views.open_notification, name="open"),
    path("thong-bao/<int:pk>/da-doc/", views.read_receipts, name="receipts"),
]
