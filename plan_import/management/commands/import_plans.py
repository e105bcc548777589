"""``manage.py import_plans FILE… --under PAGE``: many official plans as drafts at once.

For moving a school's archive of plans (Word, text-layer PDF or plain text) into the
site: each file becomes an unpublished draft ``PlanPage`` under one plan index, with
the original attached (not a .txt: a copy of the words is not the signed
document), for an editor to check and publish. ``--dry-run --json``
creates nothing and prints what was read off each file, so an operator checks a batch
before importing it. A file that cannot be read, fails the upload checks or cannot be
saved is reported and the others go on; each file is saved in its own transaction,
and the exit status is 1 when any failed (2 when nothing was tried: a wrong
``--under`` or ``--as``).

Without ``--as`` the drafts have no owner: an import of an archive is the operator's
act, not an editor's, and the page history says so (no user). With ``--as`` the
named user owns the drafts and must be allowed to add pages under the index.
"""

from __future__ import annotations

import json
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from case_files.validation import PDF_MAGIC, ZIP_MAGIC, max_bytes, validate_bytes
from pages.models.plans import KIND_LABELS, PlanIndexPage
from plan_import.drafts import create_draft
from plan_import.extract import ExtractError, text_of
from plan_import.forms import ACCEPTED
from plan_import.policy import may_import_into
from plan_import.recognise import recognise
from plan_import.result import RecognisedPlan

# The names a batch may hold; what a .docx or .pdf really is comes from its content
# (as on the upload screen, a PDF saved as .docx is read as the PDF it is).
SUFFIXES = (".docx", ".pdf", ".txt")
# Signatures the upload checks know: a .txt starting with one is checked as that file.
BINARY_MAGICS = (PDF_MAGIC, ZIP_MAGIC)
# Exit statuses: some files failed; nothing was tried.
SOME_FAILED = 1
NOTHING_TRIED = 2


class FileRefused(Exception):
    """One file cannot be imported; the message is for the operator."""


@dataclass
class Outcome:
    """What happened to one file: what was read, the draft made, or why not."""

    file: str
    plan: RecognisedPlan | None = None
    page_id: int | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    def as_json(self) -> dict[str, Any]:
        answer: dict[str, Any] = {"file": self.file, "ok": self.ok}
        if self.error:
            answer["error"] = self.error
        if self.page_id is not None:
            answer["page_id"] = self.page_id
            answer["edit_url"] = reverse("wagtailadmin_pages:edit", args=[self.page_id])
        if self.plan is not None:
            answer.update(self.plan.as_json())
            answer["leftover_count"] = len(self.plan.leftovers)
        return answer


def find_plan_index(value: str) -> PlanIndexPage:
    """The plan index ``--under`` names: a page id, a path on the site such as
    ``/truong-thcs-hoa-binh/ke-hoach/``, or the page's full address."""
    value = value.strip()
    if value.isdigit():
        page = Page.objects.filter(pk=int(value)).first()
    else:
        parts = urllib.parse.urlsplit(value)
        rest = parts.path.strip("/")
        sites = Site.objects.select_related("root_page").order_by("-is_default_site", "pk")
        if parts.hostname:
            sites = sites.filter(hostname=parts.hostname)
        page = None
        for site in sites:
            url_path = site.root_page.url_path + (rest + "/" if rest else "")
            page = Page.objects.filter(url_path=url_path).first()
            if page is not None:
                break
    if page is None:
        raise CommandError(
            gettext("No page at “%(under)s”: give a plan index page's id or its address.")
            % {"under": value},
            returncode=NOTHING_TRIED,
        )
    specific = page.specific
    if not isinstance(specific, PlanIndexPage):
        raise CommandError(
            gettext(
                "“%(title)s” (page %(id)d) is a %(type)s, not a plan index page: plans "
                "are imported under a school's plan index."
            )
            % {"title": page.title, "id": page.pk, "type": page.specific_class._meta.verbose_name},
            returncode=NOTHING_TRIED,
        )
    return specific


def find_owner(username: str | None, parent: PlanIndexPage):
    """The user ``--as`` names, who must be allowed to import there as on the screens."""
    if username is None:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(
            gettext("No active user named “%(username)s”.") % {"username": username},
            returncode=NOTHING_TRIED,
        )
    if not may_import_into(user, parent):
        raise CommandError(
            gettext("%(username)s may not add pages under “%(title)s”.")
            % {"username": username, "title": parent.title},
            returncode=NOTHING_TRIED,
        )
    return user


def read_checked(path: Path) -> tuple[bytes, bool]:
    """The file's bytes, and whether they are plain text.

    Refused as the upload screen refuses them: a Word or PDF file must pass the same
    content checks as any attachment (no macros, scripts, embedded files), whatever
    its name; plain text only has the size limit.
    """
    if path.suffix.lower() not in SUFFIXES:
        raise FileRefused(gettext("Only .docx, .pdf and .txt files can be imported."))
    try:
        with path.open("rb") as source:
            data = source.read(max_bytes() + 1)
    except FileNotFoundError as error:
        raise FileRefused(gettext("There is no such file.")) from error
    except PermissionError as error:
        raise FileRefused(gettext("You have no permission to read this file.")) from error
    except OSError as error:
        raise FileRefused(gettext("The file cannot be read.")) from error
    if path.suffix.lower() == ".txt" and not data.startswith(BINARY_MAGICS):
        if len(data) > max_bytes():
            raise FileRefused(
                gettext("The file is larger than %(limit)s MB.")
                % {"limit": max_bytes() // (1024 * 1024)}
            )
        return data, True
    try:
        checked = validate_bytes(data)
    except ValidationError as error:
        raise FileRefused(" ".join(error.messages)) from error
    if checked.extension not in ACCEPTED:
        raise FileRefused(gettext("The file is not a Word (.docx) or PDF document."))
    return data, False


class Command(BaseCommand):
    help = _(
        "Import official plans (.docx, .pdf with a text layer, .txt) as unpublished drafts "
        "under a plan index page. Check a batch first with --dry-run --json."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--under",
            required=True,
            help=_(
                "The plan index page the drafts go under: its id, or its address such as "
                "/truong-thcs-hoa-binh/ke-hoach/."
            ),
        )
        parser.add_argument(
            "--as",
            dest="username",
            help=_(
                "Username of the drafts' owner, who must be allowed to add pages there. "
                "Without it the drafts have no owner."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Read and check every file, create nothing."),
        )
        parser.add_argument(
            "--json",
            dest="as_json",
            action="store_true",
            help=_(
                "Print one JSON list on standard output: for each file, what was read off "
                "it (and the draft made, unless --dry-run)."
            ),
        )

    def run_from_argv(self, argv: list[str]) -> None:
        self.from_command_line = True
        super().run_from_argv(argv)

    def execute(self, *args: Any, **options: Any) -> Any:
        # Django prints a CommandError as "CommandError: …", an English word before the
        # operator's Vietnamese; from the command line it is said as it is, with the
        # same exit status. call_command still raises it.
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            if not getattr(self, "from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(str(error))
            sys.exit(error.returncode)

    def handle(self, *args: Any, **options: Any) -> None:
        # Operators read the site's language, whatever the shell's locale says.
        with translation.override(settings.LANGUAGE_CODE):
            self.import_all(**options)

    def import_all(
        self,
        *,
        files: list[Path],
        under: str,
        username: str | None,
        dry_run: bool,
        as_json: bool,
        **options: Any,
    ) -> None:
        parent = find_plan_index(under)
        owner = find_owner(username, parent)
        outcomes = [self.import_one(path, parent, owner, dry_run, options) for path in files]
        if as_json:
            self.stdout.write(dumps([outcome.as_json() for outcome in outcomes]))
        else:
            for outcome in outcomes:
                if outcome.ok:
                    self.stdout.write(summary(outcome, dry_run))
        failed = [outcome for outcome in outcomes if not outcome.ok]
        for outcome in failed:
            self.stderr.write(
                gettext("%(file)s: not imported. %(error)s")
                % {"file": outcome.file, "error": outcome.error}
            )
        done = len(outcomes) - len(failed)
        if dry_run:
            closing = ngettext(
                "Dry run: %(done)d of %(total)d file read; nothing was created.",
                "Dry run: %(done)d of %(total)d files read; nothing was created.",
                len(outcomes),
            )
        else:
            closing = ngettext(
                "%(done)d of %(total)d file imported as a draft.",
                "%(done)d of %(total)d files imported as drafts.",
                len(outcomes),
            )
        closing %= {"done": done, "total": len(outcomes)}
        if failed:
            raise CommandError(closing, returncode=SOME_FAILED)
        self.stderr.write(closing)

    def import_one(
        self,
        path: Path,
        parent: PlanIndexPage,
        owner: Any,
        dry_run: bool,
        options: dict[str, Any],
    ) -> Outcome:
        outcome = Outcome(file=str(path))
        try:
            data, plain = read_checked(path)
            text = text_of(path.name, data)
            if not text.strip():
                raise FileRefused(
                    gettext(
                        "No text was found in this file: a scan has no text layer. Import "
                        "the plan's text as a .txt file instead."
                    )
                )
            outcome.plan = recognise(text)
            # A text file is a copy of the words, not the signed document: as text
            # pasted on the import screen, it is not attached.
            original = None if plain else (path.name, data)
            if not dry_run:
                with transaction.atomic():
                    page = create_draft(outcome.plan, parent, user=owner, original=original)
                outcome.page_id = page.pk
        except FileRefused as error:
            outcome.error = str(error)
        except ExtractError as error:
            outcome.error = str(error)
        except ValidationError as error:
            outcome.error = gettext("The draft could not be saved: %(reasons)s") % {
                "reasons": " ".join(error.messages)
            }
        except Exception as error:
            # One odd file must not stop an archive of hundreds; the operator sees
            # which file and why, and --traceback shows where.
            if options.get("traceback"):
                raise
            outcome.error = gettext("Unexpected error: %(error)s") % {
                "error": f"{type(error).__name__}: {error}"
            }
        return outcome


def summary(outcome: Outcome, dry_run: bool) -> str:
    """Two lines an operator reads: what the file is, and what came of it."""
    plan = outcome.plan
    assert plan is not None
    head = KIND_LABELS.get(plan.kind, plan.kind)
    if plan.document_number:
        head = gettext("%(kind)s no. %(number)s") % {"kind": head, "number": plan.document_number}
    if plan.issue_date:
        head = gettext("%(head)s of %(date)s") % {
            "head": head,
            "date": plan.issue_date.strftime("%d/%m/%Y"),
        }
    counts = ", ".join(
        [
            ngettext("%d legal basis", "%d legal bases", len(plan.legal_bases))
            % len(plan.legal_bases),
            ngettext("%d section", "%d sections", len(plan.sections)) % len(plan.sections),
            ngettext("%d recipient", "%d recipients", len(plan.recipients)) % len(plan.recipients),
            ngettext("%d line not recognised", "%d lines not recognised", len(plan.leftovers))
            % len(plan.leftovers),
        ]
    )
    lines = [
        gettext("%(file)s: %(head)s, “%(title)s”")
        % {"file": outcome.file, "head": head, "title": plan.title},
        "  "
        + gettext("Issued by: %(issuer)s; signed by: %(signer)s; %(counts)s.")
        % {
            "issuer": plan.issuing_body or "—",
            "signer": plan.signer_name or "—",
            "counts": counts,
        },
    ]
    if dry_run:
        lines.append("  " + gettext("Dry run: nothing created."))
    else:
        lines.append(
            "  "
            + gettext("Draft created (page %(id)d): %(url)s")
            % {
                "id": outcome.page_id,
                "url": reverse("wagtailadmin_pages:edit", args=[outcome.page_id]),
            }
        )
    return "\n".join(lines)


def dumps(value: Any) -> str:
    # Vietnamese as written, not \u escapes: an operator reads it, and jq reads either.
    return json.dumps(value, ensure_ascii=False, indent=2)
