"""Template filters of the knowledge pages."""

from django import template
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from ..highlight import highlight

register = template.Library()


@register.filter
def kb_mark(text: str, query: str) -> SafeString:
    """``text`` escaped, with the words of ``query`` in ``<mark>``, paragraphs kept."""
    # highlight() escaped every character; linebreaks() only adds <p> and <br>.
    return mark_safe(linebreaks(highlight(text or "", query or "")))  # noqa: S308
