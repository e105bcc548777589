"""Keys for local development only; production takes them from the environment."""

import json
import secrets
from pathlib import Path

from cryptography.fernet import Fernet


def dev_case_keys(var_dir: Path, keys: list[str], index_key: str) -> tuple[list[str], str]:
    """The environment's keys if set, else keys stored in ``var/dev-keys.json``."""
    if keys and index_key:
        return keys, index_key
    path = Path(var_dir) / "dev-keys.json"
    if path.exists():
        stored = json.loads(path.read_text())
    else:
        stored = {
            "CASE_ENCRYPTION_KEYS": [Fernet.generate_key().decode("ascii")],
            "CASE_INDEX_KEY": secrets.token_urlsafe(48),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stored))
        path.chmod(0o600)
    return keys or stored["CASE_ENCRYPTION_KEYS"], index_key or stored["CASE_INDEX_KEY"]


def dev_audit_keys(var_dir: Path, keys: list[str]) -> list[str]:
    """The environment's audit chain keys if set, else one kept in ``var/dev-keys.json``.

    Added to the same file as the case keys (created if missing), so a developer's
    audit keeps verifying across restarts.
    """
    if keys:
        return keys
    path = Path(var_dir) / "dev-keys.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    if not stored.get("AUDIT_CHAIN_KEYS"):
        stored["AUDIT_CHAIN_KEYS"] = [f"dev1:{secrets.token_urlsafe(48)}"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stored))
        path.chmod(0o600)
    return stored["AUDIT_CHAIN_KEYS"]
