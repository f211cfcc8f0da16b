"""Journey: the small page behaviours that used to be inline scripts still work under the
Content-Security-Policy (the page fixture fails on any blocked script)."""

from kefu.core.testing import make_org, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.knowledge.tests.conftest import make_article
from kefu.workorders.services.orders import workorder_create
from kefu.workorders.tests.conftest import COMPLAINT_FIELDS

from .conftest import login


def test_kind_switch_cancel_confirm_and_api_docs(page, transactional_db):
    province = make_org(code="GD", kind="province", name="广东省客服中心")
    admin = make_staff(org=province, employee_no="csp-admin", name="管理员", is_super=True, position="admin")
    customer = make_customer(org=province, name="陈大客户", number="13900000001")
    article = make_article(actor="test", publish=False)
    login(page, "csp-admin")

    # The order create form re-renders with the chosen kind's fields (was an inline <script>).
    page.goto("/workorders/new/?kind=complaint")
    assert page.locator("[name=f_complainant_type]").count() == 1
    page.select_option("[data-testid=create-form] [name=kind]", "inquiry")
    page.wait_for_selector("[name=f_complainant_type]", state="detached")
    assert page.locator("[data-testid=create-form] [name=f_category]").count() == 1

    # An action form's "Cancel" closes the panel (was onclick="…innerHTML=''").
    order, _created = workorder_create(actor=admin, kind="complaint", title="信号差", description="家里没信号",
                                       fields=dict(COMPLAINT_FIELDS), customer=customer)
    page.goto(f"/workorders/{order.serial}/")
    page.click("[data-testid=action-accept]")
    page.wait_for_selector("[data-testid=action-form]")
    page.click("#action-panel button[data-clear]")
    page.wait_for_selector("[data-testid=action-form]", state="detached")

    # A destructive button asks first (was onclick="return confirm(...)"); dismissing keeps the draft.
    page.goto(f"/knowledge/articles/{article.pk}/")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.click("[data-testid=kb-article-delete]")
    assert asked and page.locator("[data-testid=kb-article-title]").count() == 1

    # The API docs come from Ninja's static files and render.
    page.goto("/api/docs")
    page.wait_for_selector(".swagger-ui .info")
