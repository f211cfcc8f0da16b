"""Turning service errors into form errors, so views stay thin."""

from .errors import KefuError


def apply_error(form, exc: KefuError, *, field_by_code: dict[str, str] | None = None) -> None:
    """Attach a service error to the form field it concerns (or the form)."""
    field = (field_by_code or {}).get(exc.code)
    form.add_error(field if field in form.fields else None, str(exc.message))
