"""The staff concern screens, under /admin/thong-tin-lo-ngai/ (namespace ``concerns``)."""

from django.urls import path

from concerns.views import staff

app_name = "concerns"

urlpatterns = [
    path("", staff.my_concerns, name="mine"),
    path("moi/", staff.raise_concern, name="raise"),
    path("<int:pk>/", staff.concern_detail, name="detail"),
    path("<int:pk>/da-gui/", staff.concern_sent, name="sent"),
]
