"""Rich text is cleaned to what Wagtail's editor can produce before it is stored.

The admin's Draftail editor can only write a known set of tags, but rich text
also arrives from code: demo and import commands, migrations, a future API or
a script someone runs in a shell. Whatever reaches a public page is therefore
cut down, on every save of a page or snippet of this app, to the editor's own
vocabulary: no ``<script>``, ``<iframe>``, ``style`` or ``on…`` attribute, no
``javascript:`` link. The Content-Security-Policy would block most of these in
the browser; this keeps them out of the database in the first place.

HTML the editor wrote is stored exactly as given: the cleaned text replaces it
only when it differs in substance (tags, attributes, text), not merely in how
the serializer spells the same markup.
"""

import re
from html.parser import HTMLParser
from typing import Any

import nh3
from django.db.models import Model
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField

# What Wagtail's rich-text features store (contentstate → database HTML).
ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "b",
    "strong",
    "i",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "br",
    "hr",
    "blockquote",
    "code",
    "sup",
    "sub",
    "s",
    "embed",
}
ALLOWED_ATTRIBUTES = {
    # Wagtail keys each block so that comments and diffs can follow it.
    "*": {"data-block-key"},
    # External links (href), internal links (linktype="page|document" id="…").
    "a": {"href", "linktype", "id"},
    # Images (embedtype="image" id format alt) and media (embedtype="media" url).
    "embed": {"embedtype", "format", "id", "alt", "url"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
VOID_TAGS = {"br", "hr", "embed"}
# Wagtail's rewriter finds <embed …/> only in its self-closing spelling.
_VOID_TAG = re.compile(r"<(br|hr|embed)(\b[^>]*?)\s*/?>")


class _Tokens(HTMLParser):
    """HTML as a list of (kind, tag, sorted attributes) and text runs, for comparison."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(("start", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_TAGS:
            self.tokens.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if self.tokens and self.tokens[-1][0] == "text":
            self.tokens[-1] = ("text", self.tokens[-1][1] + data)
        else:
            self.tokens.append(("text", data))

    def handle_comment(self, data: str) -> None:
        self.tokens.append(("comment", data))

    def handle_decl(self, decl: str) -> None:
        self.tokens.append(("decl", decl))

    def handle_pi(self, data: str) -> None:
        self.tokens.append(("pi", data))

    def unknown_decl(self, data: str) -> None:
        self.tokens.append(("decl", data))


def _tokens(html: str) -> list[tuple]:
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    return parser.tokens


def clean_rich_text(html: str) -> str:
    """``html`` limited to the rich-text editor's tags, attributes and link schemes.

    Returns ``html`` itself when nothing of substance had to go, so content written
    in the admin is stored byte for byte as Wagtail produced it.
    """
    if not html:
        return html
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    if _tokens(cleaned) == _tokens(html):
        return html
    return _VOID_TAG.sub(r"<\1\2/>", cleaned)


def clean_block_data(block: blocks.Block, data: Any) -> Any:
    """A StreamField's stored (JSON-ish) data with every rich-text value cleaned."""
    if isinstance(block, blocks.RichTextBlock):
        return clean_rich_text(data) if isinstance(data, str) else data
    if isinstance(block, blocks.StreamBlock) and isinstance(data, list):
        return [
            {**item, "value": clean_block_data(block.child_blocks[item["type"]], item["value"])}
            if isinstance(item, dict) and item.get("type") in block.child_blocks
            else item
            for item in data
        ]
    if isinstance(block, blocks.ListBlock) and isinstance(data, list):
        return [
            {**item, "value": clean_block_data(block.child_block, item["value"])}
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item
            else clean_block_data(block.child_block, item)
            for item in data
        ]
    if isinstance(block, blocks.StructBlock) and isinstance(data, dict):
        return {
            name: clean_block_data(block.child_blocks[name], value)
            if name in block.child_blocks
            else value
            for name, value in data.items()
        }
    return data


def clean_instance_rich_text(instance: Model) -> None:
    """Clean every RichTextField and every rich-text block of ``instance`` in place."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, RichTextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, clean_rich_text(value))
        elif isinstance(field, StreamField):
            value = field.to_python(getattr(instance, field.attname))
            data = field.stream_block.get_prep_value(value)
            cleaned = clean_block_data(field.stream_block, data)
            if cleaned != data:
                setattr(instance, field.attname, field.to_python(cleaned))


def clean_rich_text_before_save(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """``pre_save`` receiver: clean the rich text of this app's pages and snippets."""
    if sender._meta.app_label == "pages" and not kwargs.get("raw", False):
        clean_instance_rich_text(instance)
