"""Pages and files for the tests of the editor's features (checks, usage counts).

Plain functions, so that the server-side tests (tests/pages/test_editor_features.py)
and the browser tests (tests/e2e/test_editor_features.py) build the same things.
"""

import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.models import Collection, Page

from pages.demo import minimal_pdf
from pages.models import PlanIndexPage, PlanPage, SiteDocument, SiteImage, StandardPage
from pages.models.plans import PlanAttachment

# A title, an <h3> straight after the page's <h1>, and an image whose alternative
# text is a camera's file name: Wagtail's checker flags "heading-order" and
# "alt-text-quality" on this page.
SKIPPED_HEADING = "Ai có thể giúp em"
FILE_NAME_ALT = "IMG_2024.jpg"


def small_image(collection: Collection, title: str = "Ảnh sân trường") -> SiteImage:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), (40, 120, 90)).save(buffer, format="PNG")
    return SiteImage.objects.create(
        title=title,
        collection=collection,
        alt_text="",
        file=ImageFile(buffer, name="san-truong.png"),
    )


def small_document(collection: Collection, title: str = "Kế hoạch bản ký") -> SiteDocument:
    document = SiteDocument(title=title, collection=collection)
    document.file.save("ke-hoach-ban-ky.pdf", ContentFile(minimal_pdf(["x"])), save=False)
    document.save()
    return document


def bad_standard_page(parent: Page, collection: Collection) -> StandardPage:
    """A published page the content checker finds fault with (see the module constants)."""
    image = small_image(collection)
    page = parent.add_child(
        instance=StandardPage(
            title="Trang cần sửa",
            slug="trang-can-sua",
            body=[
                {
                    "type": "paragraph",
                    "value": f"<h3>{SKIPPED_HEADING}</h3><p>Em hãy gọi 111 hoặc gặp thầy cô.</p>",
                },
                {
                    "type": "image",
                    "value": {"image": image.pk, "alt_text": FILE_NAME_ALT, "decorative": False},
                },
            ],
        )
    )
    page.save_revision().publish()
    return page


def plan_using_document(parent: Page, document: SiteDocument) -> PlanPage:
    """A published plan whose signed original is ``document`` (an attachment row)."""
    index = parent.add_child(instance=PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))
    plan = index.add_child(
        instance=PlanPage(title="Kế hoạch năm học", slug="ke-hoach-nam-hoc", issuing_body="Trường")
    )
    PlanAttachment.objects.create(page=plan, document=document, is_signed_original=True)
    plan.save_revision().publish()
    return plan
