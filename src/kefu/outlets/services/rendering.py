"""Message templates in the Django template language, rendered without HTML escaping.

A variable the template uses but the caller did not give is an error, not an
empty gap in a text sent to a customer.
"""

from __future__ import annotations

import re

from django.template import Context, Engine, TemplateSyntaxError
from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed

_MISSING = "\x00missing:%s\x00"
_MISSING_RE = re.compile("\x00missing:(.*?)\x00")
#: Text, not HTML: no autoescaping; builtins only (no {% load %} of other libraries, no {% include %} of files).
_engine = Engine(autoescape=False, string_if_invalid=_MISSING, libraries={}, loaders=[])


def template_compile(text: str):
    try:
        return _engine.from_string(text)
    except TemplateSyntaxError as exc:
        raise ValidationFailed(_("The template is not valid: %(error)s") % {"error": exc},
                               code="template_invalid") from None


def template_render(text: str, variables: dict) -> str:
    out = template_compile(text).render(Context(variables or {}, autoescape=False))
    missing = sorted(set(_MISSING_RE.findall(out)))
    if missing:
        raise ValidationFailed(_("Variables missing: %(names)s.") % {"names": ", ".join(missing)},
                               code="variables_missing", details={"missing": missing})
    return out.strip()


def template_render_compiled(compiled, variables: dict) -> str:
    """``template_render`` of a template compiled once (``template_compile``) for many recipients."""
    out = compiled.render(Context(variables or {}, autoescape=False))
    missing = sorted(set(_MISSING_RE.findall(out)))
    if missing:
        raise ValidationFailed(_("Variables missing: %(names)s.") % {"names": ", ".join(missing)},
                               code="variables_missing", details={"missing": missing})
    return out.strip()
