"""Template helpers shared by every app."""

from django import template

register = template.Library()


@register.filter
def can(user, code: str) -> bool:
    """``{% if user|can:"workorders.order.view" %}``: the same check as the views make."""
    from kefu.iam.permissions import has_perm

    return has_perm(user, code)
