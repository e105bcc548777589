"""``manage.py import_plans``: a batch of plan files checked first, then imported as drafts."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.db import connections
from PIL import Image
from wagtail.models import Site

from pages.models import PlanIndexPage, PlanPage, SiteDocument
from schools.roles import Role
from tests.pages.factories import publish
from tests.plan_import.documents import docx_from_text, pdf_from_text, scan_like_pdf, seed_texts

pytestmark = pytest.mark.django_db

# What an operator checks of each file before importing a batch.
RECOGNISED_FIELDS = {
    "document_number",
    "kind",
    "issuing_body",
    "parent_body",
    "issue_place",
    "issue_date",
    "title",
    "legal_bases",
    "sections",
    "recipients",
    "signer_authority",
    "signer_name",
    "leftover_count",
}


@pytest.fixture(scope="module")
def seed_files(tmp_path_factory) -> list[Path]:
    """Every seed plan as a Word file and as a PDF (made once: PDFs take a while)."""
    folder = tmp_path_factory.mktemp("seeds")
    files = []
    for name, text in seed_texts().items():
        for suffix, make in ((".docx", docx_from_text), (".pdf", pdf_from_text)):
            path = folder / f"{name}{suffix}"
            path.write_bytes(make(text))
            files.append(path)
    return files


@pytest.fixture
def plans(school) -> PlanIndexPage:
    return publish(school.root_page, PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))


@pytest.fixture
def run(capsys, monkeypatch):
    """The command as a shell runs it: its exit status, standard output and error."""
    # run_from_argv closes every connection when it ends: on PostgreSQL that would be
    # the test's own, inside its transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def command_line(*args: str) -> tuple[int, str, str]:
        command = load_command_class("plan_import", "import_plans")
        status = 0
        try:
            command.run_from_argv(["manage.py", "import_plans", *args])
        except SystemExit as exit:
            status = exit.code
        out, err = capsys.readouterr()
        return status, out, err

    return command_line


def test_dry_run_prints_what_each_file_says_and_creates_nothing(run, plans, seed_files):
    pages, documents = PlanPage.objects.count(), SiteDocument.objects.count()

    status, out, err = run(*map(str, seed_files), "--under", str(plans.pk), "--dry-run", "--json")

    assert status == 0, err
    found = json.loads(out)
    assert [item["file"] for item in found] == [str(path) for path in seed_files]
    for item in found:
        assert item["ok"], item
        assert set(item) >= RECOGNISED_FIELDS
        assert item["title"]
        assert item["sections"], item["file"]
        assert all(section["heading"] for section in item["sections"])
        assert item["leftover_count"] == len(item["leftovers"])
        assert "page_id" not in item
    # The same plan as Word and as PDF reads the same.
    by_name = {Path(item["file"]).name: item for item in found}
    for path in seed_files[::2]:
        word, pdf = by_name[path.name], by_name[path.with_suffix(".pdf").name]
        assert (word["document_number"], word["issue_date"]) == (
            pdf["document_number"],
            pdf["issue_date"],
        )
    assert (PlanPage.objects.count(), SiteDocument.objects.count()) == (pages, documents)


def test_json_keeps_vietnamese_letters_and_leaves_stdout_to_the_json(run, plans, seed_files):
    status, out, err = run(str(seed_files[0]), "--under", str(plans.pk), "--dry-run", "--json")

    assert status == 0
    assert "\\u" not in out
    assert json.loads(out)[0]["file"] == str(seed_files[0])
    assert err.strip()  # the closing line goes to standard error


def test_import_makes_unpublished_drafts_with_the_original_attached(run, plans, seed_files):
    files = seed_files[:2]

    status, out, _err = run(*map(str, files), "--under", str(plans.pk))

    assert status == 0
    drafts = PlanPage.objects.child_of(plans).order_by("pk")
    assert drafts.count() == 2
    for page, path in zip(drafts, files, strict=True):
        assert not page.live
        assert page.has_unpublished_changes
        assert page.get_latest_revision() is not None
        assert page.owner is None
        original = page.attachments.get()
        assert original.is_signed_original
        assert original.document.file.read() == path.read_bytes()
        assert f"/admin/pages/{page.pk}/edit/" in out
    # The site's language, not the shell's.
    assert "Đã tạo bản nháp" in out


def test_json_of_an_import_gives_each_drafts_page(run, plans, seed_files):
    status, out, _err = run(str(seed_files[0]), "--under", str(plans.pk), "--json")

    assert status == 0
    [item] = json.loads(out)
    page = PlanPage.objects.get(pk=item["page_id"])
    assert page.get_parent().pk == plans.pk
    assert item["edit_url"] == f"/admin/pages/{page.pk}/edit/"


def test_a_bad_file_is_reported_and_the_others_are_imported(run, plans, seed_files, tmp_path):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scan_like_pdf())
    program = tmp_path / "ke-hoach.pdf"
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    photo = tmp_path / "anh.pdf"
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "PNG")
    photo.write_bytes(buffer.getvalue())
    spreadsheet = tmp_path / "bang.xlsx"
    spreadsheet.write_bytes(b"PK\x03\x04")
    missing = tmp_path / "khong-co.docx"
    good = seed_files[0]
    bad = [scan, program, photo, spreadsheet, missing]
    documents = SiteDocument.objects.count()

    status, out, err = run(str(scan), str(good), *map(str, bad[1:]), "--under", str(plans.pk))

    assert status == 1
    assert PlanPage.objects.child_of(plans).count() == 1
    assert SiteDocument.objects.count() == documents + 1
    assert str(good) in out
    for path in bad:
        assert f"{path}:" in err
        assert str(path) not in out


def test_a_plain_text_file_is_imported_without_an_attachment(run, plans, tmp_path):
    text = next(iter(seed_texts().values()))
    path = tmp_path / "ke-hoach.txt"
    path.write_text(text, encoding="utf-8")

    status, _out, err = run(str(path), "--under", str(plans.pk))

    assert status == 0, err
    page = PlanPage.objects.child_of(plans).get()
    assert not page.live
    assert not page.attachments.exists()


@pytest.mark.parametrize("address", ["/truong-al/ke-hoach/", "truong-al/ke-hoach", "full"])
def test_under_accepts_the_plan_index_address(run, plans, seed_files, address):
    if address == "full":
        address = Site.objects.get(is_default_site=True).root_url + "/truong-al/ke-hoach/"

    status, out, err = run(str(seed_files[0]), "--under", address, "--dry-run", "--json")

    assert status == 0, err
    assert json.loads(out)[0]["ok"]


@pytest.mark.parametrize("under", ["home", "/truong-al/khong-co/", "999999"])
def test_under_must_name_a_plan_index(run, school, plans, seed_files, under):
    value = str(school.root_page_id) if under == "home" else under

    status, out, err = run(str(seed_files[0]), "--under", value)

    assert status == 2
    assert not out
    assert value in err or school.root_page.title in err
    assert not PlanPage.objects.exists()


def test_as_names_the_owner_who_may_add_plans_there(run, plans, seed_files, make_staff, school):
    editor = make_staff("editor.al", Role.EDITOR, school)

    status, _out, err = run(str(seed_files[0]), "--under", str(plans.pk), "--as", editor.username)

    assert status == 0, err
    page = PlanPage.objects.child_of(plans).get()
    assert page.owner == editor
    assert page.get_latest_revision().user == editor


def test_as_someone_who_may_not_add_plans_there_is_refused(
    run, plans, seed_files, make_staff, other_school
):
    outsider = make_staff("editor.bk", Role.EDITOR, other_school)

    status, _out, err = run(str(seed_files[0]), "--under", str(plans.pk), "--as", outsider.username)

    assert status == 2
    assert "editor.bk" in err
    assert not PlanPage.objects.exists()


def test_call_command_raises_with_the_exit_status(plans, seed_files, tmp_path):
    bad = tmp_path / "x.odt"
    bad.write_bytes(b"nothing")
    with pytest.raises(CommandError) as raised:
        call_command("import_plans", str(bad), under=str(plans.pk), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert raised.value.returncode == 1
