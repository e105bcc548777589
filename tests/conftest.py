import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from wagtail.models import Site

from pages.models import HomePage
from schools.models import Membership, School

# Fails the run if a test learner's name reaches any log (see tests/log_scan.py).
pytest_plugins = ["tests.log_scan"]


@pytest.fixture
def demo_data(db):
    """The demo district, schools, pages and staff, exactly as `make run` loads them."""
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


def build_school(code: str, name: str | None = None, **fields) -> School:
    """A school whose home page is a section of the default site.

    A plain function as well as the ``make_school`` fixture, so that fixtures of a
    wider scope (tests/forms_app builds its school once per module) can use it.
    """
    root = Site.objects.get(is_default_site=True).root_page
    home = root.add_child(
        instance=HomePage(title=name or f"Trường {code}", slug=f"truong-{code.lower()}")
    )
    fields.setdefault("level", School.Level.LOWER_SECONDARY)
    return School.objects.create(code=code, name=name or f"Trường {code}", root_page=home, **fields)


def build_staff(username: str, role: str, *schools: School):
    """A user holding ``role`` at each of ``schools`` (plain function: see ``build_school``)."""
    user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    for school in schools:
        Membership.objects.create(school=school, user=user, role=role)
    user.refresh_from_db()
    return user


@pytest.fixture
def make_school(db):
    """Build a school whose home page is a section of the default site."""
    return build_school


@pytest.fixture
def school(db) -> School:
    """ "The school" of a test: AL. Folders that need more than one plain school
    (tests/forms_app builds its own once per module) override it."""
    return build_school("AL")


@pytest.fixture
def other_school(db) -> School:
    """ "Another school" (BK), for what must stay out of reach across schools."""
    return build_school("BK")


@pytest.fixture
def make_staff(db):
    """Create a user holding ``role`` at each of ``schools``."""
    return build_staff


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Empty the shared cache around every test.

    Wagtail keeps site root paths in the default cache; a file cache outlives a
    test's database transaction, so a page tree from one test could leak URLs into
    the next.
    """
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_is_a_full_sign_in(monkeypatch):
    """``client.force_login(user)`` stands for a complete sign-in, both factors.

    Staff with a case, principal or administrator role (and superusers) must pass a
    second factor before the admin serves them (accounts.middleware). Tests about
    what a role may see sign in with ``force_login``; for them it also confirms an
    authenticator device and marks the session verified by it, as the code page
    would. The second factor itself is tested through the real pages in
    tests/accounts/.
    """
    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts.models import AuthenticatorDevice
    from accounts.policy import must_verify

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if not must_verify(user):
            return
        device = AuthenticatorDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = AuthenticatorDevice.objects.create(user=user, name="test", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
