"""A4 PDFs drawn by WeasyPrint from HTML, with the bundled stylesheet and font and no
other file: the one home of how the site makes a PDF (case records, the whole case,
the school's report, the district's roll-up).

The font is DejaVu Serif shipped in ``site/static/fonts``, read from the static source
directory rather than ``STATIC_ROOT``: it must work before ``collectstatic`` has run,
and it must not depend on which fonts the server has, since a missing Vietnamese glyph
would silently change what a signed record says. Nothing here knows about cases, so
both sides of the wall may use it.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.translation import gettext

# The print stylesheet of every administrative document (site/static/css).
STYLESHEET = "css/print-record.css"


def static_source(name: str) -> Path:
    """The file ``name`` of the static sources (not ``STATIC_ROOT``), as an absolute path."""
    found = finders.find(name)
    if found:
        return Path(found).resolve()
    return (Path(settings.BASE_DIR) / "site" / "static" / name).resolve()


def _css_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'


def page_number_css() -> str:
    """The footer's "Trang x/y" in the current language, as CSS for WeasyPrint.

    The words come from the catalogue, the numbers from CSS counters, so the
    stylesheet file itself stays free of interface text.
    """
    pattern = gettext("Page %(page)s/%(pages)s")
    marked = pattern % {"page": "\x00page\x00", "pages": "\x00pages\x00"}
    parts = []
    for token in re.split(r"\x00(pages?)\x00", marked):
        if token in ("page", "pages"):
            parts.append(f"counter({token})")
        elif token:
            parts.append(_css_string(token))
    content = " ".join(parts)
    return "@page { @bottom-center { content: " + content + "; } }"


def static_files_fetcher(root: Path):
    """A WeasyPrint URL fetcher that reads files under ``root`` and nothing else."""
    # WeasyPrint is imported on first use: it loads Pango through cffi, which
    # the rest of the site has no need for.
    from weasyprint.urls import URLFetcher

    class StaticFilesOnly(URLFetcher):
        """Lets WeasyPrint read the bundled stylesheet and fonts and nothing else.

        No network, no other file: the PDF is made from data typed into forms,
        and it must not be a way to make the server fetch or embed anything.
        """

        def fetch(self, url: str, headers=None):
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise ValueError("Only the bundled static files may be loaded.")
            if not Path(url2pathname(parts.path)).resolve().is_relative_to(root):
                raise ValueError("Only the bundled static files may be loaded.")
            return super().fetch(url, headers)

    return StaticFilesOnly(allowed_protocols={"file"})


def pdf_pages(html_documents: list[str]) -> bytes:
    """HTML documents drawn as one A4 PDF, each with its own page numbers.

    Drawn with the bundled stylesheet and Vietnamese-capable font, reading no file
    but those (:func:`static_files_fetcher`).
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    stylesheet = static_source(STYLESHEET)
    root = stylesheet.parent.parent
    fetcher = static_files_fetcher(root)
    # Without a font configuration WeasyPrint ignores @font-face, and a font that
    # fails to load is only a debug message: the text would silently take a system font.
    fonts = FontConfiguration()
    stylesheets = [
        CSS(filename=str(stylesheet), url_fetcher=fetcher, font_config=fonts),
        CSS(string=page_number_css(), url_fetcher=fetcher, font_config=fonts),
    ]
    documents = [
        HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher).render(
            stylesheets=stylesheets, font_config=fonts
        )
        for html in html_documents
    ]
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
