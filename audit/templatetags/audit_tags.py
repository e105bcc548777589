"""Template tags of the audit screens: an entry's stored codes in words (see audit.describe)."""

from django import template

from audit.describe import EntryWords, describe_entry
from audit.models import AuditEntry

register = template.Library()


@register.simple_tag
def entry_words(entry: AuditEntry) -> EntryWords:
    """``{% entry_words entry as words %}``: ``words.what`` and ``words.detail``."""
    return describe_entry(entry)
