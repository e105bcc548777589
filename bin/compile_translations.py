#!/usr/bin/env python
"""Compile site/locale*/*/LC_MESSAGES/django.po into .mo files.

Django's ``compilemessages`` needs GNU gettext's ``msgfmt``, which a fresh
machine may lack; polib does the same in pure Python.
"""

import sys
from pathlib import Path

import polib

SITE_DIR = Path(__file__).resolve().parent.parent / "site"


def main() -> int:
    compiled = 0
    for po_path in sorted(SITE_DIR.glob("locale*/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled += 1
    print(f"translations: {compiled} catalogue(s) compiled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
