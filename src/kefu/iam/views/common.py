"""Small helpers shared by the iam views."""

from django.http import Http404

from kefu.core.errors import NotFound

from .. import permissions


def or_404(lookup, **kwargs):
    """Call a scoped selector; its ``NotFound`` becomes the 404 page."""
    try:
        return lookup(**kwargs)
    except NotFound:
        raise Http404 from None


def can(request, *codes: str) -> bool:
    return all(permissions.has_perm(request.user, c) for c in codes)


def decorate_tree(nodes, *, editable: bool, parent_locked_checked: bool = False) -> list[dict]:
    """Add what the checkbox tree needs: ``checked`` and ``locked`` per node.

    A node is locked when the viewer may not change it, or when an ancestor
    the viewer may not change grants it already (unticking it would do nothing).
    """
    for node in nodes:
        node["checked"] = node["granted"] or node["inherited"]
        node["locked"] = not editable or not node["delegable"] or parent_locked_checked
        decorate_tree(node["children"], editable=editable,
                      parent_locked_checked=parent_locked_checked or (node["locked"] and node["granted"]))
    return nodes
