"""Backing up and restoring the whole site: database, private files, public media.

One ``.tar.gz`` holds everything a school needs to rebuild the site on a new
machine, except the encryption keys:

* ``database/db.sqlite3`` — an SQLite copy made with SQLite's online backup API,
  consistent even while the site is writing (a plain file copy could catch a
  half-written page); or ``database/db.dump`` — ``pg_dump --format=custom`` of
  PostgreSQL, restored with ``pg_restore``;
* ``private/…`` — ``PRIVATE_MEDIA_ROOT``, the encrypted case attachments;
* ``media/…`` — ``MEDIA_ROOT``, the public uploads;
* ``manifest.json`` — the SHA-256 of every other member, the application's
  version, the database vendor, the time, and counts of cases, records and audit
  entries, so a restore can prove the archive is whole and compare the figures.

The keys (``CASE_ENCRYPTION_KEYS``, ``CASE_INDEX_KEY``) are deliberately left out:
the case data in the archive is encrypted with them, so an archive that carried
its keys would hand a child's file to whoever finds a copy. They are kept
separately, offline (see docs/operations.md). Without them the archive restores
but no child's record can be read.

A PostgreSQL password goes to ``pg_dump``/``pg_restore`` through ``PGPASSWORD``
in their environment, never on the command line, where ``ps`` would show it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone

from backups.checks import case_data_counts, check_case_data

__all__ = [
    "BackupError",
    "case_data_counts",
    "check_case_data",
    "create_backup",
    "database_is_empty",
    "restore_backup",
    "verify_archive",
]

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/db.sqlite3"
POSTGRES_MEMBER = "database/db.dump"
# Archive folder -> the setting naming the directory it is restored to.
FILE_ROOTS = {"private": "PRIVATE_MEDIA_ROOT", "media": "MEDIA_ROOT"}
VENDORS = {"sqlite": SQLITE_MEMBER, "postgresql": POSTGRES_MEMBER}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, never what a case holds."""


def app_version() -> str:
    """The git commit the code runs from, or "unknown" outside a git checkout."""
    try:
        result = subprocess.run(
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    version = result.stdout.strip()
    return version if result.returncode == 0 and version else "unknown"


# The database ------------------------------------------------------------------------


def postgres_env(settings_dict: dict) -> dict[str, str]:
    """The environment for pg_dump/pg_restore: connection details as PG* variables.

    The password travels here rather than in the arguments, which every user
    of the machine can read in the process list.
    """
    env = dict(os.environ)
    mapping = {
        "PGDATABASE": settings_dict.get("NAME"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGSSLMODE": (settings_dict.get("OPTIONS") or {}).get("sslmode"),
    }
    for name, value in mapping.items():
        if value:
            env[name] = str(value)
        else:
            env.pop(name, None)
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} was not found: install the PostgreSQL client tools."
        ) from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def dump_database(target_dir: Path, using: str = "default") -> tuple[str, Path]:
    """Write the live database under ``target_dir``; returns its archive name and path."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in VENDORS:
        raise BackupError(f"Backing up a {vendor} database is not supported.")
    member = VENDORS[vendor]
    path = target_dir / member
    path.parent.mkdir(parents=True, exist_ok=True)
    if vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(path)
        try:
            # The online backup copies a consistent snapshot page by page while
            # the site keeps working; works for an in-memory database too.
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        _run(
            ["pg_dump", "--format=custom", "--no-password", f"--file={path}"],
            postgres_env(connection.settings_dict),
        )
    return member, path


def database_is_empty(using: str = "default") -> bool:
    """Whether the database holds nothing a restore could overwrite by mistake.

    Empty means no tables at all, or tables (a fresh ``migrate``) without a single
    case, audit entry or user.
    """
    from audit.models import AuditEntry
    from forms_app.models import Case

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if not tables:
        return True
    with connection.cursor() as cursor:
        for model in (Case, AuditEntry, get_user_model()):
            table = model._meta.db_table
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone() is not None:
                    return False
    return True


def _sqlite_path(settings_dict: dict) -> Path:
    name = str(settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupError("The SQLite database to restore into must be a file.")
    return Path(name)


def load_database(vendor: str, path: Path, using: str = "default") -> None:
    """Put the backed-up database in place of the configured one."""
    connection = connections[using]
    if connection.vendor != vendor:
        raise BackupError(
            f"The archive holds a {vendor} database; this site is configured for "
            f"{connection.vendor} (DATABASE_URL)."
        )
    settings_dict = connection.settings_dict
    connections.close_all()
    if vendor == "sqlite":
        target = _sqlite_path(settings_dict)
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(target.name + ".restoring")
        shutil.copyfile(path, staged)
        os.chmod(staged, 0o600)
        # A journal left by the old file would be replayed into the new one.
        for suffix in ("-wal", "-shm", "-journal"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        os.replace(staged, target)
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--no-password",
                f"--dbname={settings_dict['NAME']}",
                str(path),
            ],
            postgres_env(settings_dict),
        )


# The archive --------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _files_under(root: Path) -> Iterator[Path]:
    """Regular files under ``root`` in a stable order; links and sockets are left out."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def create_backup(output_dir: Path | str, using: str = "default") -> tuple[Path, dict]:
    """Write one timestamped archive into ``output_dir``; returns its path and manifest."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    name = f"truong-an-toan-backup-{now:%Y%m%d-%H%M%S}.tar.gz"
    archive = output_dir / name
    if archive.exists():
        raise BackupError(f"{archive} exists already.")
    with tempfile.TemporaryDirectory(prefix="truong-an-toan-backup-") as work:
        db_member, db_path = dump_database(Path(work), using)
        members: list[tuple[str, Path]] = [(db_member, db_path)]
        for folder, setting in FILE_ROOTS.items():
            root = Path(getattr(settings, setting))
            members += [
                (f"{folder}/{path.relative_to(root).as_posix()}", path)
                for path in _files_under(root)
            ]
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "app_version": app_version(),
            "db_vendor": connections[using].vendor,
            "database": db_member,
            "counts": case_data_counts(using),
            "encryption_keys_included": False,
            "files": {member: _sha256(path) for member, path in members},
        }
        manifest_path = Path(work) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True), "utf-8")
        partial = archive.with_name(archive.name + ".part")
        # Owner-only from the start: the archive is the whole site.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(manifest_path, arcname=MANIFEST)
            for member, path in members:
                tar.add(path, arcname=member, recursive=False)
        os.replace(partial, archive)
    return archive, manifest


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def verify_archive(archive: Path | str) -> dict:
    """The archive's manifest, once every member has been checked against its SHA-256.

    Refuses a member the manifest does not list, a listed member that is missing,
    anything but a regular file, and a name that would leave the restore directory.
    """
    with tarfile.open(archive, mode="r:gz") as tar:
        try:
            manifest = json.load(tar.extractfile(MANIFEST))
        except (KeyError, TypeError, json.JSONDecodeError) as exc:
            raise BackupError("The archive has no readable manifest.json.") from exc
        expected: dict[str, str] = manifest.get("files") or {}
        seen: set[str] = set()
        for member in tar.getmembers():
            if member.name == MANIFEST:
                continue
            if not member.isfile() or not _safe_member(member.name):
                raise BackupError(f"Unexpected member in the archive: {member.name!r}.")
            if member.name not in expected:
                raise BackupError(f"{member.name} is not listed in the manifest.")
            digest = hashlib.sha256()
            handle = tar.extractfile(member)
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
            if digest.hexdigest() != expected[member.name]:
                raise BackupError(f"{member.name} does not match its checksum.")
            seen.add(member.name)
        missing = set(expected) - seen
        if missing:
            raise BackupError(f"Missing from the archive: {', '.join(sorted(missing))}.")
    if manifest.get("database") not in seen:
        raise BackupError("The archive holds no database.")
    return manifest


def restore_backup(archive: Path | str, force: bool = False, using: str = "default") -> dict:
    """Check ``archive``, then restore its database and files; returns its manifest.

    Refuses to overwrite a database that holds data unless ``force``: restoring
    over a working site by mistake would lose everything written since the backup.
    """
    manifest = verify_archive(archive)
    vendor = manifest.get("db_vendor")
    if vendor not in VENDORS or manifest["database"] != VENDORS[vendor]:
        raise BackupError("The manifest names no database this site can restore.")
    if not force and not database_is_empty(using):
        raise BackupError(
            "The database is not empty. Restoring would replace what it holds; "
            "use --force if that is what you want."
        )
    with tempfile.TemporaryDirectory(prefix="truong-an-toan-restore-") as work:
        work_path = Path(work)
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar.getmembers():
                if member.name != MANIFEST:
                    # Names were checked by verify_archive; the filter checks again.
                    tar.extract(member, work_path, filter="data")
        load_database(vendor, work_path / manifest["database"], using)
        for folder, setting in FILE_ROOTS.items():
            source = work_path / folder
            if source.is_dir():
                target = Path(getattr(settings, setting))
                target.mkdir(parents=True, exist_ok=True)
                shutil.copytree(source, target, dirs_exist_ok=True)
    return manifest
