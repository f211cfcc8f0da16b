"""Kinds of notices billing asks Kefu to publish, and what each means for the outlets.

Plain data and pure functions (no ORM): the kinds, the outlet purpose each is sent under (opt-outs name
purposes), the words customers text to subscribe or unsubscribe, and the quiet-hours arithmetic.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import models
from django.utils.translation import pgettext_lazy


class NoticeKind(models.TextChoices):
    ARREARS = "arrears", pgettext_lazy("notice kind", "Arrears notice")
    HIGH_BILL = "high_bill", pgettext_lazy("notice kind", "High-bill alert")
    FEE = "fee", pgettext_lazy("notice kind", "Fee notice")
    PUBLIC = "public", pgettext_lazy("notice kind", "Public notice")
    PERSONAL = "personal", pgettext_lazy("notice kind", "Personal notice")
    PROMOTION = "promotion", pgettext_lazy("notice kind", "Promotion")
    SURVEY = "survey", pgettext_lazy("notice kind", "Survey invitation")


#: The outlets' purpose of each kind: an opt-out of "billing" stops the three billing kinds, and so on.
PURPOSES: dict[str, str] = {
    NoticeKind.ARREARS: "billing", NoticeKind.HIGH_BILL: "billing", NoticeKind.FEE: "billing",
    NoticeKind.PUBLIC: "service", NoticeKind.PERSONAL: "service",
    NoticeKind.PROMOTION: "marketing", NoticeKind.SURVEY: "survey",
}

#: The word after "TD" (unsubscribe) or "DY" (subscribe) in a customer's SMS naming each kind.
SMS_WORDS = {
    "欠费": NoticeKind.ARREARS, "高额": NoticeKind.HIGH_BILL, "话费": NoticeKind.FEE, "公告": NoticeKind.PUBLIC,
    "个人": NoticeKind.PERSONAL, "优惠": NoticeKind.PROMOTION, "调查": NoticeKind.SURVEY,
}


def sms_keyword_parse(text: str, *, unsubscribe: str, subscribe: str) -> tuple[str, bool] | None:
    """``("promotion", False)`` for "TD优惠", ``("promotion", True)`` for "DY优惠"; ``None`` otherwise.
    Case, spaces and full-width letters do not matter."""
    compact = "".join((text or "").split()).upper()
    compact = compact.translate({c: c - 0xFEE0 for c in range(0xFF21, 0xFF5B)}).upper()
    for prefix, subscribed in ((unsubscribe.upper(), False), (subscribe.upper(), True)):
        if prefix and compact.startswith(prefix):
            kind = SMS_WORDS.get(compact[len(prefix):])
            if kind is not None:
                return str(kind), subscribed
    return None


def quiet_release(moment: datetime, *, start: timedelta, end: timedelta) -> datetime | None:
    """When the quiet hours around ``moment`` (aware, in the center's zone) end, or ``None`` when ``moment``
    is outside them. ``start``/``end`` are times of day as offsets from midnight; ``start > end`` spans
    midnight (21:00–08:00). Equal bounds mean no quiet hours."""
    if start == end:
        return None
    midnight = datetime.combine(moment.date(), time(0), tzinfo=moment.tzinfo)
    of_day = moment - midnight
    if start < end:
        return midnight + end if start <= of_day < end else None
    if of_day >= start:
        return midnight + timedelta(days=1) + end
    if of_day < end:
        return midnight + end
    return None
