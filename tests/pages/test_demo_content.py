"""The demo reads as a school would publish it, served where `make run` says."""

import io
import subprocess
import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader
from wagtail.models import Site

from pages.models import SiteDocument
from pages.text import slugify
from schools.models import School

pytestmark = pytest.mark.django_db


def _is_subsequence(words: list[str], of: list[str]) -> bool:
    remaining = iter(of)
    return all(word in remaining for word in words)


def test_demo_slugs_are_their_titles_transliterated(demo_data):
    """Each word of a demo page's address is a whole word of its title, in order.

    A section may be shorter than its title ("ke-hoach" for "Kế hoạch và văn bản"),
    but no word may lose a letter ("tun-l") or come from nowhere.
    """
    for school in School.objects.select_related("root_page"):
        for page in school.root_page.get_descendants():
            title_words = slugify(page.title).split("-")
            assert _is_subsequence(page.slug.split("-"), title_words), (page.slug, page.title)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Tờ rơi: Nói không với bạo lực học đường (HB)", "Nói không với bạo lực học đường"),
        ("Kế hoạch CTXH năm học 2025–2026 (HB) — bản ký", "Kế hoạch công tác xã hội"),
    ],
)
def test_demo_documents_keep_their_diacritics(demo_data, title, text):
    document = SiteDocument.objects.get(title=title)
    with document.file.open("rb") as pdf:
        extracted = "".join(page.extract_text() for page in PdfReader(pdf).pages)

    assert text in unicodedata.normalize("NFC", extracted)


def test_demo_sites_and_links_use_the_port_it_is_served_on(db, settings):
    settings.DEBUG = True  # the links are printed with the demo accounts
    out = io.StringIO()
    call_command("load_demo_data", port=8123, stdout=out)

    assert set(Site.objects.values_list("port", flat=True)) == {8123}
    assert "http://127.0.0.1:8123/" in out.getvalue()
    assert "http://hoa-ban.localhost:8123/" in out.getvalue()
    assert ":8000/" not in out.getvalue()

    sites = Site.objects.count()
    call_command("load_demo_data", stdout=io.StringIO())
    assert Site.objects.count() == sites
    assert set(Site.objects.values_list("port", flat=True)) == {8000}


def test_make_run_hands_its_port_to_the_demo_data():
    root = Path(__file__).resolve().parents[2]
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=root, capture_output=True, text=True, check=True
    ).stdout

    assert "load_demo_data --port 8123" in dry_run
    assert "http://127.0.0.1:8123/" in dry_run
