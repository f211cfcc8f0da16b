"""Helpers for the campaign tests: a campaign, a CSV list, running an import."""

from __future__ import annotations

from datetime import time

from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.campaigns.services.campaigns import CampaignData, campaign_create
from kefu.campaigns.services.imports import import_request, import_run

SCRIPT = [{"text": "您好，我是中国移动客服，打扰您一分钟。", "question": ""},
          {"text": "了解到您近期有离网意向，我们为您准备了专属优惠。", "question": "您是否愿意继续使用我们的服务？"}]


def make_campaign(w, *, kind="retention", name="五月挽留", **kw):
    data = CampaignData(name=name, kind=kind, queue_id=w.queue.pk, script=SCRIPT,
                        outcomes=["reached", "success", "refused", "callback_later"],
                        hours_start=time(0, 0), hours_end=time(0, 0), **kw)
    campaign, _created = campaign_create(actor=w.manager, data=data)
    return campaign


def csv_upload(lines: list[str], name="targets.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"), content_type="text/csv")


def numbers(n: int, start: int = 13800000000) -> list[str]:
    return [str(start + i) for i in range(n)]


def imported(w, campaign, lines: list[str]):
    imp = import_request(actor=w.manager, campaign=campaign, upload=csv_upload(lines))
    import_run(import_id=imp.pk)
    imp.refresh_from_db()
    return imp
