"""Backup and restore: what ``backup_site`` writes, ``restore_site`` brings back whole.

The restore runs as a school would run it: ``manage.py restore_site`` in another
process, pointed (DATABASE_URL, PRIVATE_MEDIA_ROOT, MEDIA_ROOT) at an empty
database and empty directories, then ``manage.py check_case_data`` reads every
encrypted value, attachment and audit entry back. On SQLite the empty database
is a new file; on PostgreSQL (when the suite runs on it) a freshly created
database, dropped at the end. The test's data is committed (``transaction=True``)
so that the backup, which reads the database as another client would, sees it.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from audit.log import record
from audit.models import Action
from backups import archive as backup
from forms_app.models import CaseState
from schools.roles import Role
from tests.forms_app.factories import make_case

# serialized_rollback: the flush after each test would otherwise take the rows the
# migrations created (the default site, the reference lists) from the tests after.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ATTACHMENT = b"%PDF-1.4\n% scanned signed form, fictitious\n%%EOF\n"

# The subprocess takes the test settings (same fixed keys), with the file
# directories from the environment: the test settings make fresh ones per process.
SETTINGS_MODULE = """
import os
from config.settings.test import *  # noqa: F403

PRIVATE_MEDIA_ROOT = os.environ["PRIVATE_MEDIA_ROOT"]
MEDIA_ROOT = os.environ["MEDIA_ROOT"]
"""


@pytest.fixture
def site_data(make_school, make_staff):
    """Cases with records, an attachment when case_files has them, and audit entries."""
    school = make_school("HB", "Trường THCS Hoa Ban")
    worker = make_staff("worker", Role.CASE_WORKER, school)
    principal = make_staff("principal", Role.PRINCIPAL, school)
    closed = make_case(school, worker, principal, CaseState.CLOSED, learner_class="8B")
    received = make_case(school, worker, principal, learner_name="Lò Văn Minh")
    for case in (closed, received):
        record(None, Action.VIEW, case=case, user=worker, target="case")
    attachment = attachment_model()
    if attachment is not None:
        from case_files import storage

        attachment.objects.create(
            case=closed,
            content_type="application/pdf",
            extension="pdf",
            size=len(ATTACHMENT),
            sha256=hashlib.sha256(ATTACHMENT).hexdigest(),
            blob=storage.write_blob(ATTACHMENT),
            uploaded_by=worker,
        )
    (Path(settings.MEDIA_ROOT) / "images").mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "images" / "poster.png").write_bytes(b"public poster")
    return [closed, received]


def attachment_model():
    try:
        return apps.get_model("case_files", "CaseAttachment")
    except LookupError:
        return None


@pytest.fixture
def empty_database(tmp_path):
    """The URL of an empty database of the suite's vendor; a PostgreSQL one is dropped after."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_restored"[:63]
    conninfo = {
        "dbname": "postgres",
        "user": params.get("USER") or None,
        "password": params.get("PASSWORD") or None,
        "host": params.get("HOST") or None,
        "port": params.get("PORT") or None,
    }
    conninfo = {key: value for key, value in conninfo.items() if value}
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    user = params.get("USER") or ""
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    yield f"postgres://{user}{password}@{host}:{port}/{name}"
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(tmp_path: Path, database_url: str, *args: str) -> subprocess.CompletedProcess:
    """Run ``manage.py`` in a new process against the restored database and directories."""
    (tmp_path / "restore_settings.py").write_text(SETTINGS_MODULE)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "restore_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(settings.BASE_DIR)]),
        "DATABASE_URL": database_url,
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "restored-private"),
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
    }
    return subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def make_backup(tmp_path: Path) -> Path:
    out = io.StringIO()
    call_command("backup_site", output=tmp_path / "backups", stdout=out)
    assert "CASE_ENCRYPTION_KEYS" in out.getvalue()  # the warning that the keys are not in it
    archives = list((tmp_path / "backups").glob("truong-an-toan-backup-*.tar.gz"))
    assert len(archives) == 1
    return archives[0]


def test_restore_into_an_empty_database_brings_everything_back(tmp_path, site_data, empty_database):
    before = backup.check_case_data()
    assert before["ok"]

    archive = make_backup(tmp_path)
    restored = manage(tmp_path, empty_database, "restore_site", str(archive))
    assert restored.returncode == 0, restored.stderr[-3000:]
    checked = manage(tmp_path, empty_database, "check_case_data")
    assert checked.returncode == 0, checked.stderr[-3000:]

    after = json.loads(checked.stdout.strip().splitlines()[-1])
    assert after["ok"]
    assert after["counts"] == before["counts"]
    assert after["counts"]["cases"] == 2
    assert after["counts"]["records"] == before["counts"]["records"] > 2
    assert after["counts"]["audit_entries"] >= 2
    # Every case says, decrypted, exactly what it said before the backup.
    assert after["case_fingerprints"] == before["case_fingerprints"]
    assert set(after["case_fingerprints"]) == {case.reference for case in site_data}
    assert after["decrypted_values"] == before["decrypted_values"]
    assert after["audit_chain"] == before["audit_chain"]
    if attachment_model() is not None:
        assert after["counts"]["attachments"] == 1
        assert after["attachments_read"] == 1
    assert (tmp_path / "restored-media" / "images" / "poster.png").read_bytes() == (
        b"public poster"
    )

    # The database now holds data: a second restore needs --force.
    again = manage(tmp_path, empty_database, "restore_site", str(archive))
    assert again.returncode != 0
    assert "--force" in again.stderr
    forced = manage(tmp_path, empty_database, "restore_site", "--force", str(archive))
    assert forced.returncode == 0, forced.stderr[-3000:]


def test_archive_lists_every_member_in_its_manifest_and_holds_no_key(tmp_path, site_data):
    archive = make_backup(tmp_path)

    manifest = backup.verify_archive(archive)
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        contents = b"".join(
            tar.extractfile(member).read() for member in tar.getmembers() if member.isfile()
        )

    assert names == {"manifest.json", *manifest["files"]}
    assert manifest["database"] in names
    assert "media/images/poster.png" in names
    assert manifest["db_vendor"] == connection.vendor
    assert manifest["counts"]["cases"] == 2
    assert manifest["app_version"]
    assert manifest["encryption_keys_included"] is False
    keys = [*settings.CASE_ENCRYPTION_KEYS, settings.CASE_INDEX_KEY]
    for key in keys:
        assert key.encode() not in contents
    assert oct(archive.stat().st_mode & 0o777) == oct(0o600)


def test_a_tampered_archive_is_refused(tmp_path, site_data):
    archive = make_backup(tmp_path)
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "media/images/poster.png":
                data = b"altered poster"
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))

    with pytest.raises(backup.BackupError, match="checksum"):
        backup.verify_archive(tampered)
