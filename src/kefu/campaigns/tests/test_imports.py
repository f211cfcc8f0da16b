"""Target lists: row checks, exclusions, the error report, XLSX and customer queries."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.campaigns.models import Target
from kefu.campaigns.services.dnc import dnc_add
from kefu.campaigns.services.imports import import_query_request, import_run
from kefu.outlets.services.optouts import optout_create

from .support import imported, make_campaign


def _report(imp) -> str:
    imp.report.open("rb")
    try:
        return imp.report.read().decode("utf-8-sig")
    finally:
        imp.report.close()


def test_rows_are_checked_one_by_one_and_bad_ones_reported(world):
    campaign = make_campaign(world)
    dnc_add(actor=world.manager, number="13800000005", reason="投诉骚扰")
    optout_create(actor=world.manager, address="13800000006", purpose="marketing", reason="不要推销")
    imp = imported(world, campaign, ["号码,姓名,备注", "13900000002,刘挽留,离网倾向", "13800000003,张三,",
                                     "12345,坏号码,", "13800000003,张三重复,", "13800000005,李四,",
                                     "13800000006,王五,", "+86 138-0000-0007,赵六,"])
    assert (imp.state, imp.total, imp.accepted, imp.rejected, imp.excluded, imp.known) == ("done", 7, 3, 2, 2, 1)
    report = _report(imp)
    assert "12345" in report and "Not a telephone number" in report or "不是电话号码" in report
    assert "13800000003" in report and "13800000005" in report and "13800000006" in report
    targets = {t.number: t for t in Target.objects.filter(campaign=campaign)}
    assert targets["13900000002"].customer_id == world.known.pk and targets["13800000003"].customer_id is None
    assert targets["13800000005"].state == "excluded" and targets["13800000005"].excluded_reason == "do_not_call"
    assert targets["13800000006"].excluded_reason == "opted_out"
    assert targets["13800000007"].state == "pending"
    again = imported(world, campaign, ["13800000003", "13800000008"])
    assert (again.accepted, again.rejected) == (1, 1)
    assert "already in the campaign" in _report(again) or "已在本活动中" in _report(again)


def test_an_xlsx_list_is_read(world):
    from openpyxl import Workbook

    from kefu.campaigns.services.imports import import_request

    wb = Workbook()
    ws = wb.active
    ws.append(["number", "name"])
    ws.append([13800000011, "甲"])
    ws.append(["13800000012", "乙"])
    buf = io.BytesIO()
    wb.save(buf)
    campaign = make_campaign(world)
    imp = import_request(actor=world.manager, campaign=campaign,
                         upload=SimpleUploadedFile("list.xlsx", buf.getvalue()))
    import_run(import_id=imp.pk)
    imp.refresh_from_db()
    assert (imp.state, imp.accepted) == ("done", 2)


def test_a_customer_query_becomes_targets(world):
    campaign = make_campaign(world, kind="promotion")
    imp = import_query_request(actor=world.manager, campaign=campaign, filters={"tier": "vip"})
    import_run(import_id=imp.pk)
    imp.refresh_from_db()
    assert (imp.state, imp.accepted) == ("done", 1)
    assert Target.objects.get(campaign=campaign).customer_id == world.vip.pk


def test_an_outsider_finds_no_customer_of_another_province(world):
    campaign = make_campaign(world)
    campaign.org = world.other
    campaign.save()
    from kefu.campaigns.services.imports import import_request

    imp = import_request(actor=world.outsider, campaign=campaign,
                         upload=SimpleUploadedFile("t.csv", b"13900000002\n"))
    import_run(import_id=imp.pk)
    imp.refresh_from_db()
    assert (imp.accepted, imp.known) == (1, 0)
