"""Template helpers shared by every app."""

from django import template

register = template.Library()


@register.filter
def can(user, code: str) -> bool:
    """``{% if user|can:"workorders.order.view" %}``: the same check as the views make."""
    from kefu.iam.permissions import has_perm

    return has_perm(user, code)


@register.filter
def inline_code(text: str):
    """Escape ``text`` and show its `backticked` spans as code (change-log entries are Markdown)."""
    import re

    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    return mark_safe(re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text)))  # noqa: S308 (escaped first)
