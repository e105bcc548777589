import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from wagtail.models import Site

from pages.models import HomePage
from schools.models import Membership, School

# Fails the run if a test learner's name reaches any log (see tests/log_scan.py).
pytest_plugins = ["tests.log_scan"]


class DemoWorld:
    """The demo world, loaded once for every test that asks for ``demo_data``.

    Loading it takes seconds (tens on PostgreSQL on a busy machine), and two dozen
    tests read it. So those tests run one after the other (see
    ``pytest_collection_modifyitems`` below) inside one transaction that holds the
    demo, written when the first of them starts. Each test still runs in its own
    savepoint (pytest-django's ``db``), rolled back after it, so what a test changes
    is gone for the next one, exactly as with tests/forms_app/module_data.py. The
    transaction is rolled back before the first test that does not ask for the demo,
    so no other test ever sees it. Nothing is committed: the same on SQLite and
    PostgreSQL.
    """

    def __init__(self) -> None:
        self._atomic = None
        self._blocker = None

    @property
    def is_open(self) -> bool:
        return self._atomic is not None

    def open(self, django_db_blocker) -> None:
        self._blocker = django_db_blocker
        if self._atomic is not None:
            return
        with django_db_blocker.unblock():
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115

    def reopen(self) -> None:
        """Open again after a close, for a demo test run apart from the others."""
        if self._blocker is not None:
            self.open(self._blocker)

    def close(self) -> None:
        if self._atomic is None:
            return
        with self._blocker.unblock():
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)
        self._atomic = None


DEMO_WORLD = DemoWorld()


def _uses_demo(item: pytest.Item) -> bool:
    return "demo_data" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests of the demo world in one block, where the other tests that roll
    back their transaction end (before those that commit), so it is loaded once."""
    from tests.forms_app.module_data import is_transactional

    demo = [item for item in items if _uses_demo(item)]
    if not demo:
        return
    committing = [item.nodeid for item in demo if is_transactional(item)]
    if committing:
        raise pytest.UsageError(f"demo_data is shared and rolled back, these commit: {committing}")
    rest = [item for item in items if not _uses_demo(item)]
    at = next(
        (i for i, item in enumerate(rest) if is_transactional(item) or not _uses_db(item)),
        len(rest),
    )
    items[:] = rest[:at] + demo + rest[at:]


def _uses_db(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or "db" in getattr(
        item, "fixturenames", ()
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Roll the demo world back before a test that does not ask for it (see DemoWorld)."""
    if _uses_demo(item):
        DEMO_WORLD.reopen()
    else:
        DEMO_WORLD.close()


@pytest.fixture(scope="session")
def _demo_world(django_db_setup, django_db_blocker):
    """Opens the demo world before the first demo test's own transaction (a fixture of
    wider scope is set up first); later ones find it open (see DemoWorld)."""
    DEMO_WORLD.open(django_db_blocker)
    yield DEMO_WORLD
    DEMO_WORLD.close()


@pytest.fixture
def demo_data(_demo_world, db):
    """The demo district, schools, pages and staff, exactly as `make run` loads them.

    Loaded once for all the tests that ask for it and read by each in its own
    savepoint: see ``DemoWorld``.
    """
    assert _demo_world.is_open


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
