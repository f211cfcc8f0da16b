"""Every intake door denies the anonymous and the unpermitted caller (see core/testing.py).

Mailboxes and their conversations belong to an organisation; registrations to the one that received them.
Records of the other city branch answer like ones that do not exist. The world holds a real IMAP server,
so the connection test and "read now" really connect.
"""

import tempfile

import pytest

from kefu.contactcenter.models import Queue
from kefu.contactcenter.services.contacts import contact_end
from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params
from kefu.crm.tests.factories import make_customer
from kefu.intake.models import MailAttachment
from kefu.intake.services.inbound import mail_receive
from kefu.intake.services.mailboxes import MailboxInput, mailbox_create
from kefu.intake.services.registrations import registration_create

from .imapd import ImapServer

RAW = (b"From: customer@example.cn\r\nTo: 10086@hotline.example.cn\r\nSubject: hello\r\nMessage-ID: <m1@example.cn>\r\n"
       b"\r\nhello\r\n")


def _mailbox(w, org, queue, user):
    return mailbox_create(actor="test", data=MailboxInput(
        hotline="10086", name=f"box {org.code}", org=org, queue=queue, imap_host="127.0.0.1",
        imap_port=w["imap"].port, imap_security="none", imap_user=user, folder="INBOX",
        smtp_from="10086@hotline.example.cn", password="secret"))


def _build():
    from kefu.core.testing import make_staff

    w = denial_orgs()
    w["imap"] = ImapServer(tempfile.mkdtemp(prefix="kefu-imap-")).__enter__()
    w["queue"] = Queue.objects.create(code="MAILGZ", name="邮件", org=w["city"])
    w["other_queue"] = Queue.objects.create(code="MAILSZ", name="邮件", org=w["other_city"])
    w["mailbox"] = _mailbox(w, w["city"], w["queue"], "hotline")
    w["other_mailbox"] = _mailbox(w, w["other_city"], w["other_queue"], "other")
    msg, _ = mail_receive(mailbox_id=w["mailbox"].pk, uidvalidity=1, uid=1, raw=RAW, size=len(RAW))
    other, _ = mail_receive(mailbox_id=w["other_mailbox"].pk, uidvalidity=1, uid=1, raw=RAW, size=len(RAW))
    w["conv"], w["other_conv"] = msg.conversation, other.conversation
    for m in (msg, other):  # dealt with: a further answer may be sent (the test backend keeps it in memory)
        contact_end(contact_id=m.contact_id, by_switch=True)
    from django.core.files.base import ContentFile

    for key, m in (("att", msg), ("other_att", other)):
        a = MailAttachment(message=m, name="a.txt", size=2)
        a.file.save("a.txt", ContentFile(b"hi"), save=False)
        a.save()
        w[key] = a
    make_customer(org=w["city"], name="王伟", number="13900000001")
    clerk = make_staff(org=w["city"], perms=["intake.register.create"])
    other_clerk = make_staff(org=w["other_city"], perms=["intake.register.create"])
    w["reg"] = registration_create(actor=clerk, kind="letter", org=w["city"], summary="来信",
                                   scan_name="s.pdf", scan_data=b"%PDF-1.4 scan")
    w["other_reg"] = registration_create(actor=other_clerk, kind="walk_in", org=w["other_city"], summary="来访",
                                         scan_name="s.pdf", scan_data=b"%PDF-1.4 scan")
    return w


world = denial_world(_build)

MV, ME = "intake.mailbox.view", "intake.mailbox.edit"
EV, EA = "intake.email.view", "intake.email.answer"
RV, RC = "intake.register.view", "intake.register.create"


def _mailbox_body(w):
    return {"hotline": "10010", "name": "新邮箱", "org": w["city"].pk, "queue": w["queue"].pk,
            "imap_host": "127.0.0.1", "imap_port": w["imap"].port, "imap_security": "none",
            "imap_user": "new", "folder": "INBOX", "smtp_from": "10010@hotline.example.cn", "password": "x"}


def _mailbox_form(w):
    return {**_mailbox_body(w), "enabled": "on", "version": getattr(w["mailbox"], "version", 1)}


API = [
    door("get", "/api/intake/mailboxes", MV),
    door("post", "/api/intake/mailboxes", ME, body=_mailbox_body, status=(201,)),
    door("get", "/api/intake/mailboxes/{mailbox}", MV, outside={"mailbox": "other_mailbox"}),
    door("put", "/api/intake/mailboxes/{mailbox}", ME, outside={"mailbox": "other_mailbox"},
         body=lambda w: {**_mailbox_body(w), "imap_user": "hotline", "hotline": "10086"}),
    door("post", "/api/intake/mailboxes/{mailbox}/test", ME, outside={"mailbox": "other_mailbox"}),
    door("post", "/api/intake/mailboxes/{mailbox}/poll", ME, outside={"mailbox": "other_mailbox"}),
    door("get", "/api/intake/conversations", EV),
    door("get", "/api/intake/conversations/{conv}", EV, outside={"conv": "other_conv"}),
    door("post", "/api/intake/conversations/{conv}/answer", EV, EA, outside={"conv": "other_conv"},
         body={"text": "您好"}, status=(201,)),
    door("get", "/api/intake/registrations", RV),
    door("post", "/api/intake/registrations", RC, status=(201,),
         body=lambda w: {"kind": "walk_in", "org": w["city"].pk, "subscriber_number": "13900000001",
                         "summary": "来厅咨询"}),
    door("get", "/api/intake/registrations/{reg}", RV, outside={"reg": "other_reg"}),
]

UI = [
    door("get", "/intake/", EV, RV, any_of=True),
    door("get", "/intake/conversations/{conv}/", EV, outside={"conv": "other_conv"}),
    door("post", "/intake/conversations/{conv}/answer/", EV, EA, outside={"conv": "other_conv"},
         body={"text": "您好"}, status=(302,)),
    door("get", "/intake/attachments/{att}/", EV, outside={"att": "other_att"}),
    door("get", "/intake/register/", RC),
    door("post", "/intake/register/", RC, body=lambda w: {"kind": "letter", "org": w["city"].pk, "summary": "来信"},
         status=(302,)),
    door("get", "/intake/registrations/{reg}/", RV, outside={"reg": "other_reg"}),
    door("get", "/intake/registrations/{reg}/scan/", RV, outside={"reg": "other_reg"}),
    door("get", "/intake/mailboxes/", MV),
    door("post", "/intake/mailboxes/new/", ME, body=lambda w: {**_mailbox_form(w), "imap_user": "new"}, status=(302,)),
    door("get", "/intake/mailboxes/{mailbox}/", MV, outside={"mailbox": "other_mailbox"}),
    door("post", "/intake/mailboxes/{mailbox}/", MV, ME, outside={"mailbox": "other_mailbox"},
         body=lambda w: {**_mailbox_form(w), "imap_user": "hotline"}, status=(302,)),
    door("post", "/intake/mailboxes/{mailbox}/test/", ME, outside={"mailbox": "other_mailbox"}),
    door("post", "/intake/mailboxes/{mailbox}/poll/", ME, outside={"mailbox": "other_mailbox"}, status=(302,)),
]

DOORS = API + UI


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
