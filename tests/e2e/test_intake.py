"""E-mail, letters and walk-ins in the browser: the mailbox admin with a real connection test, an e-mail
answered from its conversation page (real SMTP and IMAP servers), and a walk-in registered with its scan and
turned into a work order in one click."""

import tempfile
from email.message import EmailMessage

import pytest
from playwright.sync_api import expect

from kefu.contactcenter.models import Offer, Queue, QueueSkill
from kefu.contactcenter.services import agents as ag
from kefu.contactcenter.services import contacts as ct
from kefu.contactcenter.services.router import route
from kefu.core.testing import make_org, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.iam.models import SkillGroup, StaffSkill
from kefu.intake.models import Mailbox, MailMessage, Registration
from kefu.intake.services.inbound import mailbox_poll
from kefu.intake.tests.conftest import AGENT
from kefu.intake.tests.imapd import ImapServer
from kefu.intake.tests.mailservers import HOTLINE, MailWorld, SmtpServer

from .conftest import login


@pytest.fixture
def mailworld(settings):
    maildir = tempfile.mkdtemp(prefix="kefu-e2e-mail-")
    outbox: list = []
    with ImapServer(maildir) as imap:
        world = MailWorld(maildir=maildir, imap=imap, smtp_port=0, outbox=outbox)
        with SmtpServer({HOTLINE: maildir}, outbox, world.event) as smtp:
            world.smtp_port = smtp.port
            settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
            settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
            yield world


@pytest.fixture
def center(transactional_db):
    province = make_org(code="GD", kind="province", name="广东省客服中心")
    hall = make_org(code="GZ-TH", kind="department", name="天河营业厅", parent=province)
    skill = SkillGroup.objects.create(code="email", name="邮件")
    queue = Queue.objects.create(code="MAIL", name="邮件队列", org=province)
    QueueSkill.objects.create(queue=queue, skill_group=skill, min_level=1)
    agent = make_staff(org=province, perms=AGENT, employee_no="AG1", name="话务员甲")
    StaffSkill.objects.create(staff=agent, skill_group=skill, level=5)
    make_staff(org=province, perms=["intake.mailbox.view", "intake.mailbox.edit"], employee_no="ADM1", name="管理员")
    make_staff(org=province, perms=["intake.register.view", "intake.register.create", "crm.customer.view",
                                    "workorders.order.view", "workorders.order.create"],
               employee_no="HALL1", name="营业员")
    make_customer(org=province, name="王伟", number="13900000001")
    return {"province": province, "hall": hall, "queue": queue, "agent": agent}


def test_an_administrator_sets_up_a_mailbox_and_the_connection_test_really_connects(page, center, mailworld):
    login(page, "ADM1")
    page.goto("/intake/mailboxes/")
    form = page.locator("[data-testid=mailbox-form]")
    form.locator("#id_hotline").fill("10086")
    form.locator("#id_name").fill("10086 客服邮箱")
    form.locator("#id_org").select_option(str(center["province"].pk))
    form.locator("#id_queue").select_option(str(center["queue"].pk))
    form.locator("#id_imap_host").fill("127.0.0.1")
    form.locator("#id_imap_port").fill(str(mailworld.imap.port))
    form.locator("#id_imap_security").select_option("none")
    form.locator("#id_imap_user").fill("hotline")
    form.locator("#id_password").fill("secret")
    form.locator("#id_smtp_from").fill(HOTLINE)
    page.click("[data-testid=mailbox-save]")
    expect(page.locator("[data-testid=password-set]")).to_be_visible()
    assert page.locator("#id_password").input_value() == ""  # the password is never shown back
    assert "secret" not in page.content()
    page.click("[data-testid=mailbox-test]")
    expect(page.locator("[data-testid=test-ok]")).to_contain_text("UIDVALIDITY 1700000001")
    assert any(line.startswith("LOGIN") for line in mailworld.imap.store.log)
    assert Mailbox.objects.get().imap_password.startswith("v1:")


def test_an_agent_answers_an_email_from_its_conversation_page(page, center, mailworld):
    from kefu.intake.tests.conftest import make_mailbox

    ns = type("C", (), {"province": center["province"], "queue": center["queue"],
                        "admin": make_staff(org=center["province"], perms=["intake.mailbox.edit"])})
    mailbox = make_mailbox(ns, mailworld)
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Message-ID"] = "customer@example.cn", HOTLINE, "话费疑问", "<q1@example.cn>"
    m.set_content("上月话费为什么多了二十元？")
    mailworld.send(m.as_bytes())
    mailbox_poll(mailbox_id=mailbox.pk)
    agent = center["agent"]
    ag.agent_login(actor=agent, extension="8001")
    ag.agent_set_state(actor=agent, state="ready")
    route()  # the offer may already be made on the commit of going ready
    offer = Offer.objects.get(staff=agent, state="pending")
    ct.offer_accept(actor=agent, offer_id=offer.pk)

    login(page, "AG1")
    page.goto("/intake/?channel=email&mine=1")
    page.locator("[data-testid=conversation-row] a").first.click()
    expect(page.locator("[data-testid=conversation-subject]")).to_have_text("话费疑问")
    expect(page.locator("[data-testid=mail-in]")).to_contain_text("多了二十元")
    expect(page.locator("[data-testid=btn-create-order]")).to_be_visible()
    page.fill("#id_text", "您好，多出的是来电显示月功能费。")
    page.click("[data-testid=answer-send]")
    expect(page.locator("[data-testid=mail-out]")).to_contain_text("来电显示")
    [sent] = mailworld.wait_outbox(1)
    assert sent.rcpt == "customer@example.cn" and sent.message["In-Reply-To"] == "<q1@example.cn>"
    assert MailMessage.objects.filter(direction="out", sent_by=agent).count() == 1


def test_a_walk_in_is_registered_with_its_scan_and_becomes_a_work_order_in_one_click(page, center, tmp_path):
    scan = tmp_path / "身份证复印件.pdf"
    scan.write_bytes(b"%PDF-1.4 scan of a letter")
    login(page, "HALL1")
    page.goto("/intake/register/")
    page.select_option("#id_kind", "walk_in")
    page.select_option("#id_org", str(center["hall"].pk))
    page.fill("#id_subscriber_number", "13900000001")
    page.fill("#id_person", "王伟")
    page.fill("#id_summary", "来厅反映家中宽带经常掉线。")
    page.set_input_files("#id_scan", str(scan))
    page.click("[data-testid=register-save]")
    expect(page.locator("[data-testid=registration-customer]")).to_contain_text("王伟")
    expect(page.locator("[data-testid=scan-link]")).to_have_text("身份证复印件.pdf")
    reg = Registration.objects.get()
    assert reg.contact.channel == "walk_in" and reg.customer.name == "王伟"
    page.click("[data-testid=btn-create-order]")
    page.wait_for_url(f"**/workorders/new/?kind=complaint&contact={reg.contact_id}&customer={reg.customer_id}")
    page.goto("/intake/?channel=walk_in")
    expect(page.locator("[data-testid=registration-row]")).to_have_count(1)
