"""E-mail end to end against real servers: SMTP (aiosmtpd) delivers into the maildir the IMAP server serves,
Kefu reads it over IMAP, routes it, an agent answers over SMTP, and the customer's reply threads back."""

from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from kefu.contactcenter.models import Contact, ContactEvent
from kefu.contactcenter.services import agents as ag
from kefu.contactcenter.services import contacts as ct
from kefu.contactcenter.services.router import route
from kefu.intake.models import Conversation, MailAttachment, MailMessage
from kefu.intake.services.inbound import mailbox_poll
from kefu.intake.services.outbound import email_answer
from kefu.params.services import param_set
from kefu.workorders.models import Attachment, WorkOrderStep
from kefu.workorders.services.orders import workorder_create

from .conftest import make_mailbox
from .mailservers import HOTLINE

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def customer_mail(subject="宽带故障", text="家里宽带断了三天。", *, reply_to=None, refs=(), files=()):
    m = EmailMessage()
    m["From"] = "王伟 <customer@example.cn>"
    m["To"] = HOTLINE
    m["Subject"] = subject
    m["Message-ID"] = make_msgid(domain="example.cn")
    if reply_to:
        m["In-Reply-To"] = reply_to
        m["References"] = " ".join([*refs, reply_to])
    m.set_content(text)
    for name, data, maintype, subtype in files:
        m.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return m


def complaint(center, **kw):
    order, _ = workorder_create(actor=center.agent, kind="complaint", title="宽带断网", description="客户来信",
                                fields={"category": "network", "level": "general", "complainant_type": "ordinary",
                                        "source": "customer"}, channel="email", **kw)
    return order


def take(agent, contact_id):
    """The agent logs in, goes ready, the router offers the e-mail, the agent accepts it."""
    if ag.live_session(agent) is None:
        ag.agent_login(actor=agent, extension="8001")
    ag.agent_set_state(actor=agent, state="ready")
    offers = route()
    assert offers, "the router offered nothing"
    return ct.offer_accept(actor=agent, offer_id=offers[0])


def test_mail_becomes_a_routed_contact_is_answered_and_the_reply_threads_into_its_work_order(center, mailworld):
    mailbox = make_mailbox(center, mailworld)
    first = customer_mail(files=[("照片.png", PNG, "image", "png"), ("run.exe", b"MZ..", "application", "octet-stream")])
    mailworld.send(first.as_bytes())

    counts = mailbox_poll(mailbox_id=mailbox.pk)
    assert counts["accepted"] == 1 and counts["refused"] == 0
    msg = MailMessage.objects.get(direction="in")
    conv = msg.conversation
    assert msg.from_addr == "customer@example.cn" and msg.subject == "宽带故障" and "宽带断了" in msg.body
    contact = Contact.objects.get(pk=msg.contact_id)
    assert contact.channel == "email" and contact.state == "queued" and contact.queue == center.queue
    assert mailworld.imap.seen() == {1: True}  # flagged only after the commit
    kept = {a.name: a.refused for a in MailAttachment.objects.filter(message=msg)}
    assert kept["照片.png"] == "" and "exe" in kept["run.exe"]

    assert mailbox_poll(mailbox_id=mailbox.pk)["seen"] == 0  # nothing read twice
    assert MailMessage.objects.filter(direction="in").count() == 1

    take(center.agent, contact.pk)
    order = complaint(center, origin_contact=str(contact.pk))
    out = email_answer(actor=center.agent, conversation=conv, text="已为您派单处理。", orders=[order])
    [sent] = mailworld.wait_outbox(1)
    assert sent.rcpt == "customer@example.cn"
    got = sent.message
    assert got["In-Reply-To"] == first["Message-ID"] and first["Message-ID"] in got["References"]
    assert order.serial in got["Subject"] and got["Subject"].startswith("Re: 宽带故障")
    assert "已为您派单处理" in got.get_content()
    contact.refresh_from_db()
    assert contact.state == "ended"
    assert out.order_serial == order.serial
    assert WorkOrderStep.objects.filter(order=order, action="mail_out").count() == 1
    kinds = list(ContactEvent.objects.filter(contact=contact).values_list("kind", flat=True))
    assert kinds[:3] == ["arrived", "queued", "mail_in"] and "mail_out" in kinds

    # The customer answers from their mail program: threaded by In-Reply-To, into the same conversation and
    # into the work order's history, with the picture attached to the order.
    reply = customer_mail(subject=got["Subject"].replace("Re:", "答复:"), text="还是不通。",
                          reply_to=got["Message-ID"], refs=[first["Message-ID"]],
                          files=[("现场.png", PNG, "image", "png")])
    mailworld.send(reply.as_bytes())
    assert mailbox_poll(mailbox_id=mailbox.pk)["accepted"] == 1
    second = MailMessage.objects.filter(direction="in").latest("id")
    assert second.conversation_id == conv.pk and second.order_serial == order.serial
    assert second.contact_id != contact.pk  # a new contact: the first one ended with the answer
    assert Contact.objects.get(pk=second.contact_id).state == "queued"
    step = WorkOrderStep.objects.get(order=order, action="mail_in")
    assert "还是不通" in step.text and step.actor is None and step.actor_label == "e-mail 10086"
    assert Attachment.objects.filter(order=order, name="现场.png").exists()
    assert Conversation.objects.count() == 1


def test_a_serial_in_the_subject_of_a_new_mail_attaches_it_to_that_order(center, mailworld):
    mailbox = make_mailbox(center, mailworld)
    order = complaint(center)
    mailworld.send(customer_mail(subject=f"关于工单 {order.serial} 的补充", text="补充材料见附件").as_bytes())
    mailbox_poll(mailbox_id=mailbox.pk)
    msg = MailMessage.objects.get(direction="in")
    assert msg.order_serial == order.serial and msg.conversation.order_serial == order.serial
    assert WorkOrderStep.objects.filter(order=order, action="mail_in").exists()


@pytest.mark.parametrize("kind", ["oversized", "malformed"])
def test_refused_mail_is_kept_marked_and_its_sender_told_once(center, mailworld, kind):
    mailbox = make_mailbox(center, mailworld)
    param_set(actor="test", key="intake.email.max_kb", raw=8)
    if kind == "oversized":
        raw = customer_mail(text="大附件", files=[("big.pdf", b"%PDF" + b"x" * 20000, "application", "pdf")]).as_bytes()
    else:
        raw = b"From: customer@example.cn\r\nSubject: broken\r\nthis line has no colon and no blank line before it\r\n"
    mailworld.send(raw)
    counts = mailbox_poll(mailbox_id=mailbox.pk)
    assert counts["refused"] == 1 and counts["accepted"] == 0
    msg = MailMessage.objects.get(direction="in")
    assert msg.status == kind and msg.problem and msg.contact_id is None and msg.conversation_id is None
    assert bytes(msg.raw).replace(b"\r\n", b"\n").rstrip().endswith(raw.replace(b"\r\n", b"\n").rstrip()[-40:])
    assert mailworld.imap.seen() == {1: True}
    [notice] = mailworld.wait_outbox(1)
    assert notice.rcpt == "customer@example.cn" and "10086" in notice.message.get_content()
    assert MailMessage.objects.filter(direction="out").count() == 1
    assert mailbox_poll(mailbox_id=mailbox.pk)["seen"] == 0
    assert len(mailworld.outbox) == 1 and Contact.objects.count() == 0


def test_a_crash_after_commit_before_seen_reads_the_message_once(center, mailworld, monkeypatch):
    from kefu.intake.services import imap

    mailbox = make_mailbox(center, mailworld)
    mailworld.send(customer_mail().as_bytes())

    def crash(self, uid):
        raise imap.ImapFailure("connection lost")

    monkeypatch.setattr(imap.Session, "mark_seen", crash)
    assert "error" in mailbox_poll(mailbox_id=mailbox.pk)
    assert MailMessage.objects.count() == 1 and mailworld.imap.seen() == {1: False}
    monkeypatch.undo()
    mailbox.refresh_from_db()
    mailbox.last_uid = 0  # as if the position had not been remembered either
    mailbox.save()
    counts = mailbox_poll(mailbox_id=mailbox.pk)
    assert counts == {"accepted": 0, "refused": 0, "seen": 1}
    assert MailMessage.objects.count() == 1 and Contact.objects.count() == 1 and mailworld.imap.seen() == {1: True}


def test_a_rebuilt_folder_new_uidvalidity_is_read_again_by_its_new_uids(center, mailworld):
    mailbox = make_mailbox(center, mailworld)
    mailworld.send(customer_mail(subject="一").as_bytes())
    mailbox_poll(mailbox_id=mailbox.pk)
    mailworld.imap.store.rebuild(1800000000)
    mailworld.send(customer_mail(subject="二").as_bytes())
    mailbox_poll(mailbox_id=mailbox.pk)
    mailbox.refresh_from_db()
    assert mailbox.uidvalidity == 1800000000 and mailbox.last_uid == 2
    assert sorted(MailMessage.objects.values_list("uidvalidity", "uid")) == [
        (1700000001, 1), (1800000000, 1), (1800000000, 2)]


def test_wrong_password_is_remembered_on_the_mailbox(center, mailworld):
    mailbox = make_mailbox(center, mailworld, password="wrong")
    counts = mailbox_poll(mailbox_id=mailbox.pk)
    mailbox.refresh_from_db()
    assert "error" in counts and "hotline" in mailbox.last_error and MailMessage.objects.count() == 0


def test_an_answer_needs_the_mail_taken_from_the_desktop(center, mailworld):
    from kefu.core.errors import Conflict

    mailbox = make_mailbox(center, mailworld)
    mailworld.send(customer_mail().as_bytes())
    mailbox_poll(mailbox_id=mailbox.pk)
    conv = Conversation.objects.get()
    with pytest.raises(Conflict) as exc:
        email_answer(actor=center.agent, conversation=conv, text="您好")
    assert exc.value.code == "not_taken" and mailworld.outbox == []
