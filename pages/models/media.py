"""The site's own image and document models, so search can match titles without diacritics."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument
from wagtail.documents.models import Document as WagtailDocument
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.images.models import Image as WagtailImage
from wagtail.search import index

from pages.text import fold


class SiteImage(AbstractImage):
    """An image on the public site; confidential case files never live here."""

    alt_text = models.CharField(
        _("alternative text"),
        max_length=255,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )

    admin_form_fields = (*WagtailImage.admin_form_fields, "alt_text")

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class SiteRendition(AbstractRendition):
    image = models.ForeignKey(SiteImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class SiteDocument(AbstractDocument):
    """A public document (signed plans, leaflets); indexed with a folded title for search."""

    admin_form_fields = WagtailDocument.admin_form_fields
    search_fields = [*AbstractDocument.search_fields, index.SearchField("folded_title")]

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def folded_title(self) -> str:
        return fold(self.title)
