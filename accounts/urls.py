"""Sign-in pages, mounted under /admin/ by the ``register_admin_urls`` hook."""

from django.urls import path

from accounts import views

urlpatterns = [
    path("xac-thuc-2-buoc/", views.overview, name="accounts_2fa"),
    path("xac-thuc-2-buoc/thiet-lap/", views.setup, name="accounts_2fa_setup"),
    path("xac-thuc-2-buoc/nhap-ma/", views.verify, name="accounts_2fa_verify"),
    path("xac-thuc-2-buoc/ma-du-phong/", views.recovery_codes, name="accounts_2fa_recovery_codes"),
    path("bao-mat-dang-nhap/", views.security, name="accounts_security"),
    path("bao-mat-dang-nhap/mo-khoa/", views.unlock, name="accounts_unlock"),
    path("bao-mat-dang-nhap/dat-lai-2-buoc/", views.reset_two_factor, name="accounts_reset_2fa"),
]
