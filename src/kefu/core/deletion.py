"""Deleting a row that other rows still point at (``on_delete=PROTECT``/``RESTRICT``) is a conflict.

Django raises ``ProtectedError``/``RestrictedError`` from ``delete()``; unhandled, that is a 500. Every
service that deletes an aggregate calls ``delete_unless_used`` instead, so the caller gets a 409
``in_use`` naming what still uses it, whatever the referencing model (a queue's skill, an order's
template, …), including references added later.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Model, ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from .errors import Conflict


def delete_unless_used(obj: Model, *, label: str) -> None:
    """Delete ``obj``, or raise ``Conflict`` (409 ``in_use``) if protected references remain."""
    try:
        with transaction.atomic():  # a savepoint: PostgreSQL may have started the cascade
            obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        used_by = sorted({str(row._meta.verbose_name) for row in exc.args[1]})
        raise Conflict(
            _("%(label)s is still used (%(used_by)s) and cannot be deleted.")
            % {"label": label, "used_by": ", ".join(used_by)},
            code="in_use",
            details={"used_by": used_by},
        ) from exc
