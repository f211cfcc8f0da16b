"""Marking notices read: only the reader's own, only those named."""

from kefu.workorders.models import Notice
from kefu.workorders.services.notices import notices_mark_read

from .conftest import complaint


def _notice(order, recipient, text="x"):
    return Notice.objects.create(order=order, kind="assigned", recipient=recipient, text=text)


def test_opening_an_order_marks_only_my_notices_about_it_read(center):
    order, other_order = complaint(center), complaint(center)
    mine = _notice(order, center.gz_handler)
    elsewhere = _notice(other_order, center.gz_handler)
    theirs = _notice(order, center.sz_handler)
    assert notices_mark_read(actor=center.gz_handler, order=order) == 1
    for n in (mine, elsewhere, theirs):
        n.refresh_from_db()
    assert mine.read_at is not None
    assert elsewhere.read_at is None and theirs.read_at is None
    assert notices_mark_read(actor=center.gz_handler, order=order) == 0  # already read: nothing changes


def test_one_notice_is_marked_only_by_its_recipient(center):
    order = complaint(center)
    notice = _notice(order, center.gz_handler)
    assert notices_mark_read(actor=center.sz_handler, notice_id=notice.pk) == 0
    notice.refresh_from_db()
    assert notice.read_at is None
    assert notices_mark_read(actor=center.gz_handler, notice_id=notice.pk) == 1
    notice.refresh_from_db()
    assert notice.read_at is not None
