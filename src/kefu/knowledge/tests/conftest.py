"""Fixtures of the knowledge tests: readers, editors, articles, cases, a closed order."""

import pytest

from kefu.core.testing import JsonClient, client_for
from kefu.knowledge.services.articles import ArticleData, article_create
from kefu.knowledge.services.cases import CaseData, case_create

READ = ("knowledge.article.view", "knowledge.case.view")
EDIT = ("knowledge.article.view", "knowledge.article.edit", "knowledge.case.view", "knowledge.case.edit")


def make_article(title="5G套餐资费说明", body="5G畅享套餐每月128元，含30GB国内流量。", *, category="tariff",
                 publish=True, actor="test", **kw):
    return article_create(actor=actor, data=ArticleData(title=title, body=body, category=category, **kw),
                          publish=publish)


def make_case(title="国际漫游无法上网", situation="客户在日本无法使用数据流量。", solution="指导客户打开数据漫游开关。",
              *, category="procedure", publish=True, actor="test"):
    return case_create(actor=actor, data=CaseData(title=title, situation=situation, solution=solution,
                                                  category=category), publish=publish)


@pytest.fixture
def reader(city, staff_factory):
    """An agent at the GZ city branch who may read articles and cases."""
    return staff_factory(*READ, org=city, employee_no="reader", name="读者")


@pytest.fixture
def editor(province, staff_factory):
    """A knowledge editor at the province center who sees every organisation and its orders."""
    return staff_factory(*EDIT, "scope.all_orgs", "workorders.order.view", org=province, employee_no="editor",
                         name="编辑")


@pytest.fixture
def reader_api(reader):
    return JsonClient(client_for(reader))


@pytest.fixture
def editor_api(editor):
    return JsonClient(client_for(editor))


@pytest.fixture
def closed_order(city, staff_factory):
    """A closed complaint of customer 陈大文 whose text carries his number and ID."""
    from kefu.crm.tests.factories import make_customer
    from kefu.workorders.models import State, WorkOrder
    from kefu.workorders.services.orders import workorder_create

    agent = staff_factory("workorders.order.create", org=city, employee_no="agent1", name="李话务")
    customer = make_customer(org=city, name="陈大文", number="13900000001")
    order, _created = workorder_create(
        actor=agent, kind="complaint", title="陈大文投诉国际漫游费用过高",
        description="客户陈大文（13800138000，身份证440106199001011234）反映在日本漫游产生高额流量费，大文表示未收到提醒短信。",
        fields={"complainant_type": "ordinary", "category": "tariff", "level": "general", "source": "customer"},
        customer=customer,
    )
    WorkOrder.objects.filter(pk=order.pk).update(
        state=State.CLOSED, result="核实为未开通漫游流量包，按规则减免50%流量费。",
        reply_text="已致电13800138000告知陈先生减免结果，客户满意。",
    )
    order.refresh_from_db()
    return order
