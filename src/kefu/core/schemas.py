"""Input types shared by every API schema: what a client may send, checked once.

- ``DateTime``: every date-time a client sends (filters and bodies). A naive
  value is read in the server's time zone; the offset must be one a real place
  uses (±14 h) and the year within ``MIN_YEAR..MAX_YEAR``, so neither the
  database ("time zone displacement out of range") nor a conversion to UTC
  (year 1 or 9999) can fail. The value is handed on in UTC.
- ``Date`` / ``Time`` / ``Money``: dates, times of day and amounts, read from
  their JSON text forms inside a strict ``InputSchema``; a time of day is local
  (the database stores no zone with it), so one with an offset is refused.
- ``BirthDate``: a date of birth between 1900 and today.

See docs/decisions/0018-api-input-hardening.md.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Strict
from pydantic_core import PydanticCustomError

from . import clock

MIN_YEAR = 1900
MAX_YEAR = 2999
MAX_OFFSET = dt.timedelta(hours=14)  # Kiribati (UTC+14) and Baker Island (UTC−12) are the extremes in use


class OutOfRange(ValueError):
    """A date or time a client sent that no one means and the database or a conversion cannot take."""


def _year_message() -> str:
    return _("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}


def bounded_datetime(value: dt.datetime) -> dt.datetime:
    """``value`` checked (year, offset) and in UTC; a naive value is read in the server's zone.

    Shared by the API type ``DateTime`` and the form field ``kefu.core.forms.DateTimeField``.
    """
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise OutOfRange(_year_message())
    if value.tzinfo is None or value.utcoffset() is None:
        value = timezone.make_aware(value)
    offset = value.utcoffset()
    if offset is None or abs(offset) > MAX_OFFSET:
        raise OutOfRange(_("The time zone offset must be within ±14 hours."))
    return value.astimezone(dt.UTC)


def bounded_date(value: dt.date) -> dt.date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise OutOfRange(_year_message())
    return value


def _checked_datetime(value: dt.datetime) -> dt.datetime:
    try:
        return bounded_datetime(value)
    except OutOfRange as exc:
        raise PydanticCustomError("datetime_range", str(exc)) from None


def _checked_date(value: dt.date) -> dt.date:
    try:
        return bounded_date(value)
    except OutOfRange as exc:
        raise PydanticCustomError("date_range", str(exc)) from None


def _checked_time(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise PydanticCustomError("time_zone", _("A time of day is local: give it without a time zone."))
    return value


def _checked_birth_date(value: dt.date) -> dt.date:
    today = timezone.localdate(clock.now())
    if not dt.date(1900, 1, 1) <= value <= today:
        raise PydanticCustomError("birth_date_range", _("The date of birth must be between 1900-01-01 and today."))
    return value


DATETIME_CHECK = AfterValidator(_checked_datetime)

DateTime = Annotated[dt.datetime, Strict(False), DATETIME_CHECK]
Date = Annotated[dt.date, Strict(False), AfterValidator(_checked_date)]
BirthDate = Annotated[dt.date, Strict(False), AfterValidator(_checked_birth_date)]
Time = Annotated[dt.time, Strict(False), AfterValidator(_checked_time)]
Money = Annotated[Decimal, Strict(False)]


class InputSchema(Schema):
    """Base of every request body: JSON types are taken as sent, never coerced.

    Pydantic's lax mode would read ``true`` as the id 1, ``1.0`` or ``"1"`` as 1 and ``1`` as ``True``;
    strict mode refuses all of them. Dates, times and amounts, which JSON can only send as text, use the
    types above (``Strict(False)`` on the type itself). Query parameters are text by nature and keep
    Ninja's parsing; their date-times still use ``DateTime``.
    """

    model_config = ConfigDict(strict=True)
