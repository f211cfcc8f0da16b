"""Field checks shared by the iam services.

The API schemas and the forms already bound string lengths, but services are
the one write path (seed, worker, other apps call them too), so they check
again: on PostgreSQL an oversized value would otherwise be a 500.
"""

from __future__ import annotations

from typing import cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed


def check_lengths(obj: models.Model, fields) -> None:
    for name in fields:
        field = cast(models.Field, obj._meta.get_field(name))
        limit = getattr(field, "max_length", None)
        value = getattr(obj, field.attname, None)
        if limit and isinstance(value, str) and len(value) > limit:
            raise ValidationFailed(
                _("%(field)s is too long (at most %(max)d characters).")
                % {"field": str(field.verbose_name).capitalize(), "max": limit},
                code="too_long", details={"field": name, "max_length": limit},
            )


def check_required(value: str, label) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(_("%(field)s is required.") % {"field": str(label).capitalize()}, code="required")
    return value


def check_choice(value, choices, label) -> None:
    if value not in choices.values:
        raise ValidationFailed(
            _("“%(value)s” is not a valid %(field)s.") % {"value": value, "field": label}, code="invalid_choice"
        )


def check_email(value: str) -> None:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValidationFailed(_("Enter a valid e-mail address."), code="invalid_email") from None
