from types import SimpleNamespace

import pytest

from kefu.contactcenter.models import Queue, QueueSkill
from kefu.core.testing import make_org, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.iam.models import SkillGroup, StaffSkill

from .imapd import ImapServer
from .mailservers import HOTLINE, MailWorld, SmtpServer

AGENT = ["contactcenter.desk.use", "intake.email.view", "intake.email.answer", "crm.customer.view",
         "workorders.order.view", "workorders.order.create", "workorders.order.handle"]


@pytest.fixture
def mailworld(tmp_path, settings):
    """A hotline maildir served over IMAP, and an SMTP server delivering into it; Kefu sends through it."""
    maildir = str(tmp_path / "hotline")
    outbox: list = []
    with ImapServer(maildir) as imap:
        world = MailWorld(maildir=maildir, imap=imap, smtp_port=0, outbox=outbox)
        with SmtpServer({HOTLINE: maildir}, outbox, world.event) as smtp:
            world.smtp_port = smtp.port
            settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
            settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
            settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
            settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
            yield world


@pytest.fixture
def center(db):
    """A province with a city branch, an e-mail queue with its skill, an agent, a supervisor and a customer."""
    province = make_org(code="GD", kind="province", name="广东省客服中心")
    city = make_org(code="GZ", kind="city", name="广州分公司", parent=province)
    hall = make_org(code="GZ-TH", kind="department", name="天河营业厅", parent=city)
    skill = SkillGroup.objects.create(code="email", name="邮件")
    queue = Queue.objects.create(code="MAIL", name="邮件队列", org=province)
    QueueSkill.objects.create(queue=queue, skill_group=skill, min_level=1)
    agent = make_staff(org=province, perms=AGENT, employee_no="AG1", name="话务员甲")
    StaffSkill.objects.create(staff=agent, skill_group=skill, level=5)
    admin = make_staff(org=province, perms=["intake.mailbox.view", "intake.mailbox.edit"], employee_no="ADM1",
                       name="管理员")
    clerk = make_staff(org=city, perms=["intake.register.view", "intake.register.create", "intake.email.view",
                                        "crm.customer.view", "workorders.order.view", "workorders.order.create"],
                       employee_no="HALL1", name="营业员")
    customer = make_customer(org=city, name="王伟", number="13900000001")
    return SimpleNamespace(province=province, city=city, hall=hall, queue=queue, agent=agent, admin=admin,
                           clerk=clerk, customer=customer, skill=skill)


def make_mailbox(center, mailworld, **kw):
    from kefu.intake.services.mailboxes import MailboxInput, mailbox_create

    data = MailboxInput(hotline="10086", name="10086 邮箱", org=center.province, queue=center.queue,
                        imap_host="127.0.0.1", imap_port=mailworld.imap.port if mailworld else 993,
                        imap_security="none", imap_user="hotline", folder="INBOX", smtp_from=HOTLINE,
                        password="secret")
    for k, v in kw.items():
        setattr(data, k, v)
    return mailbox_create(actor=center.admin, data=data)
