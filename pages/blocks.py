"""StreamField blocks for public pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

PLAIN_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class PointBlock(blocks.StructBlock):
    """The third level of an administrative document: a), b), c)…"""

    number = blocks.CharBlock(label=_("number"), max_length=8, required=False, help_text="a)")
    text = blocks.RichTextBlock(label=_("text"), features=PLAIN_FEATURES)

    class Meta:
        icon = "list-ul"
        label = _("Point")


class ClauseBlock(blocks.StructBlock):
    """The second level: 1., 2., … with an optional heading, text and points."""

    number = blocks.CharBlock(label=_("number"), max_length=8, required=False, help_text="1.")
    heading = blocks.CharBlock(label=_("heading"), required=False)
    text = blocks.RichTextBlock(label=_("text"), features=PLAIN_FEATURES, required=False)
    points = blocks.ListBlock(PointBlock(), label=_("points"), default=[])

    class Meta:
        icon = "list-ol"
        label = _("Clause")


class SectionBlock(blocks.StructBlock):
    """A numbered part of a plan (I., II., …), laid out as Vietnamese official documents are."""

    number = blocks.CharBlock(label=_("number"), max_length=8, required=False, help_text="I.")
    heading = blocks.CharBlock(label=_("heading"))
    text = blocks.RichTextBlock(label=_("text"), features=PLAIN_FEATURES, required=False)
    clauses = blocks.ListBlock(ClauseBlock(), label=_("clauses"), default=[])

    class Meta:
        icon = "doc-full"
        label = _("Section")
        template = "pages/blocks/section.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "pages/blocks/quote.html"


class CallToActionBlock(blocks.StructBlock):
    """A prominent call to ring a help line, 111 unless the editor names another."""

    heading = blocks.CharBlock(label=_("heading"), default=_("Need help? Call 111"))
    text = blocks.TextBlock(label=_("text"), required=False)
    number = blocks.CharBlock(label=_("number"), max_length=32, default="111")

    class Meta:
        icon = "mobile-alt"
        label = _("Call to action")
        template = "pages/blocks/call_to_action.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("title"), required=False)

    class Meta:
        icon = "doc-full-inverse"
        label = _("Document download")
        template = "pages/blocks/document.html"


def image_block(**kwargs) -> ImageBlock:
    """Wagtail's ImageBlock with its chooser labelled in the editor's language.

    Wagtail 8.0 gives the inner image chooser no label, so the editor showed the name
    made from the field's name, "Image", in English whatever the language. The label
    is not part of the block's deconstruction, so no migration follows from it.
    """
    block = ImageBlock(**kwargs)
    block.child_blocks["image"].label = _("Image")
    return block


class StoryBlock(blocks.StreamBlock):
    """Body of campaigns, materials and standard pages."""

    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["h2", "h3", *PLAIN_FEATURES], icon="pilcrow"
    )
    image = image_block(label=_("Image"), template="pages/blocks/image.html")
    video = EmbedBlock(label=_("Video"), icon="media", max_width=800)
    document = DocumentLinkBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()


class PlanBodyBlock(blocks.StreamBlock):
    """Body of a plan: numbered sections, with free paragraphs where a document has them."""

    section = SectionBlock()
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=PLAIN_FEATURES, icon="pilcrow")
