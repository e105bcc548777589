import pytest


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Each test its own private directory, so "nothing was stored" can be checked."""
    root = tmp_path / "private"
    root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = str(root)
    return root
