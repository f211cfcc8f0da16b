"""Form helpers shared by the pages: service errors on fields, and bounded date fields."""

from django import forms

from .errors import KefuError
from .schemas import OutOfRange, bounded_date, bounded_datetime


def apply_error(form, exc: KefuError, *, field_by_code: dict[str, str] | None = None) -> None:
    """Attach a service error to the form field it concerns (or the form)."""
    field = (field_by_code or {}).get(exc.code)
    form.add_error(field if field in form.fields else None, str(exc.message))


def apply_field_errors(form, exc: KefuError) -> None:
    """Put a service's per-field details (``exc.details``) on the form's fields; the message on the form otherwise."""
    details = exc.details if isinstance(exc.details, dict) else {}
    placed = False
    for field, message in details.items():
        if field in form.fields:
            form.add_error(field, str(message))
            placed = True
    if not placed:
        apply_error(form, exc)


class DateTimeField(forms.DateTimeField):
    """Django's field with the API's bounds (``kefu.core.schemas.bounded_datetime``).

    Django also reads ISO 8601 with any offset (``-22:51``) and year 1, which PostgreSQL or the conversion
    to UTC cannot take; every date-time filter and input of the pages uses this field instead.
    """

    def to_python(self, value):
        result = super().to_python(value)
        if result is None:
            return None
        try:
            return bounded_datetime(result)
        except OutOfRange as exc:
            raise forms.ValidationError(str(exc), code="out_of_range") from None


class DateField(forms.DateField):
    """Django's date field limited to the years Kefu stores (``kefu.core.schemas.bounded_date``)."""

    def to_python(self, value):
        result = super().to_python(value)
        if result is None:
            return None
        try:
            return bounded_date(result)
        except OutOfRange as exc:
            raise forms.ValidationError(str(exc), code="out_of_range") from None
