import pytest

from accounts.models import AuthenticatorDevice
from schools.roles import Role

PASSWORD = "Cô giáo dạy em yêu trường lớp"


@pytest.fixture
def school(make_school):
    return make_school("AT", "Trường THCS An Tâm")


@pytest.fixture
def person(db, school, django_user_model):
    """A staff member with a real password, holding ``role`` at the school."""
    from schools.models import Membership

    def make(username: str, role: str | None = Role.CASE_WORKER):
        user = django_user_model.objects.create_user(username=username, password=PASSWORD)
        if role:
            Membership.objects.create(user=user, school=school, role=role)
        return user

    return make


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    """The first factor through the real sign-in page."""
    return client.post(
        "/admin/login/", {"username": username, "password": password, "next": "/admin/"}, **extra
    )


def app_of(user) -> AuthenticatorDevice:
    return AuthenticatorDevice.objects.get(user=user, confirmed=True)


def vi(message: str, **values) -> str:
    """``message`` as a Vietnamese user sees it (the catalogue's translation).

    Tests compare with the catalogue rather than a literal so they hold before and
    after the translations are compiled.
    """
    from django.utils import translation

    with translation.override("vi"):
        text = translation.gettext(message)
    return text % values if values else text
