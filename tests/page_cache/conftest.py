import pytest
from django.core.cache import caches


@pytest.fixture
def page_cache_on(settings, tmp_path):
    """The page cache as deployed: on, in a file cache every process can share."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
            "KEY_PREFIX": "pages",
        },
    }
    settings.PAGE_CACHE_SECONDS = 600
    caches["pages"].clear()
    yield tmp_path
    caches["pages"].clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit, as the real commit of an admin request would.

    Tests run inside a transaction that is rolled back, so ``on_commit`` work
    (the page cache's new generation) would otherwise never happen.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)
