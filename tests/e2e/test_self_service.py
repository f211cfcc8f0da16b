"""Journey: a customer asks for the link to their notice choices, opens it from the SMS and stops promotions;
the staff's subscriptions page shows the change, made on the web."""

import re

from kefu.core.testing import make_org, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.outlets.models import Message
from kefu.outlets.services.config import outlets_ensure_defaults

from .conftest import login


def test_a_customer_stops_promotions_from_the_link_texted_to_them(page, transactional_db):
    outlets_ensure_defaults()  # an earlier browser test may have emptied the tables
    org = make_org(code="GD", kind="province")
    make_staff(org=org, employee_no="e2e-admin", name="管理员", is_super=True)
    make_customer(org=org, name="李娜", number="13800000001")

    page.goto("/subscribe/")
    page.fill("[data-testid=self-number]", "12345")
    page.click("[data-testid=btn-self-link]")
    assert "不是手机号码" in page.locator("[data-testid=self-error]").inner_text()
    page.fill("[data-testid=self-number]", "13800000001")
    page.click("[data-testid=btn-self-link]")
    page.locator("[data-testid=link-sent]").wait_for()
    sms = Message.objects.get(source="self_service")
    link = re.search(r"https?://\S+/subscribe/\S+/", sms.body).group(0)

    page.goto(link)
    assert page.locator("[data-testid=self-masked]").inner_text() == "138****0001"
    promotion = page.locator("[data-testid=self-kind][data-kind=promotion]")
    assert promotion.get_attribute("data-subscribed") == "1"
    promotion.locator("[data-testid=btn-self-toggle]").click()
    page.locator("[data-testid=self-saved]").wait_for()
    assert page.locator("[data-testid=self-kind][data-kind=promotion]").get_attribute("data-subscribed") == "0"

    login(page, "e2e-admin")
    page.goto("/notices/subscriptions/?number=13800000001")
    row = page.locator("[data-testid=subscription-changes] tr", has_text="13800000001")
    assert "web" in row.inner_text() and "业务推广" in row.inner_text()
