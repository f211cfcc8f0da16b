"""Resolving ids sent in a request body.

An id in the path that does not exist (or lies outside the actor's scope)
is a 404; an id inside the body is bad input, so a 400 naming the field.
"""

from kefu.core.errors import NotFound, ValidationFailed


def body_ref(lookup, field: str, **kwargs):
    try:
        return lookup(**kwargs)
    except NotFound as exc:
        raise ValidationFailed(exc.message, code=exc.code, details={"field": field}) from None
