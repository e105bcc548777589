"""/tro-giup/: the help channel's addresses (namespace ``help_channel``).

The fixed words come before ``<school_code>/``; school codes are capitals and
digits, so they can never be "theo-doi" or "thoat".
"""

from django.urls import path, re_path

from pages.help_channel import views

app_name = "help_channel"

urlpatterns = [
    path("", views.choose_school, name="choose"),
    path("theo-doi/", views.come_back, name="come_back"),
    path("theo-doi/tin-nhan/", views.thread, name="thread"),
    path("thoat/", views.leave, name="leave"),
    re_path(r"^(?P<school_code>[A-Za-z][A-Za-z0-9]{1,9})/$", views.write, name="write"),
    re_path(r"^(?P<school_code>[A-Za-z][A-Za-z0-9]{1,9})/da-gui/$", views.receipt, name="receipt"),
]
