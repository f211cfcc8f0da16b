"""Every knowledge door denies the anonymous, the unpermitted and the out-of-branch caller (see core/testing.py).

Articles apply to an organisation: one written for another branch is not there for this one (404).
Cases are shared by every branch, but a case is made from a work order the caller may see.
"""

import pytest

from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params, make_staff
from kefu.crm.tests.factories import make_customer

from .conftest import make_article, make_case


def _closed_order(org, number):
    from kefu.workorders.models import State, WorkOrder
    from kefu.workorders.services.orders import workorder_create

    agent = make_staff(org=org, perms=["workorders.order.create"])
    customer = make_customer(org=org, name="陈大文", number=number)
    order, _created = workorder_create(
        actor=agent, kind="complaint", title="国际漫游费用过高", description="客户反映在日本漫游产生高额流量费。",
        fields={"complainant_type": "ordinary", "category": "tariff", "level": "general", "source": "customer"},
        customer=customer,
    )
    WorkOrder.objects.filter(pk=order.pk).update(state=State.CLOSED, result="减免50%流量费。", reply_text="客户满意。")
    return order.serial


def _build():
    w = denial_orgs()
    w["article"] = make_article(org=w["city"])
    w["draft"] = make_article("携号转网办理流程", "携号转网需本人持身份证办理。", category="procedure",
                              org=w["city"], publish=False)
    w["other_article"] = make_article("深圳宽带资费", "深圳宽带每月99元。", org=w["other_city"])
    w["other_draft"] = make_article("深圳草稿", "深圳草稿正文。", org=w["other_city"], publish=False)
    w["case"] = make_case()
    w["draft_case"] = make_case("停机保号", "客户出国一年。", "办理停机保号。", publish=False)
    w["serial"] = _closed_order(w["city"], "13900000001")
    w["other_serial"] = _closed_order(w["other_city"], "13800000002")
    return w


world = denial_world(_build)

A_VIEW, A_EDIT = "knowledge.article.view", "knowledge.article.edit"
C_VIEW, C_EDIT = "knowledge.case.view", "knowledge.case.edit"
ORDER_VIEW = "workorders.order.view"
ARTICLE, DRAFT = {"article": "other_article"}, {"draft": "other_draft"}
SERIAL = {"serial": "other_serial"}
NEW_ARTICLE = {"title": "国际漫游资费", "body": "日本每天30元。", "category": "tariff", "org_id": "{city}"}
NEW_CASE = {"title": "宽带报障", "situation": "宽带无法上网。", "solution": "重启光猫。", "category": "procedure"}

API = [
    door("get", "/api/knowledge/search?q=5G", A_VIEW, A_EDIT, C_VIEW, C_EDIT, any_of=True),
    door("get", "/api/knowledge/articles", A_VIEW, A_EDIT, any_of=True),
    door("post", "/api/knowledge/articles", A_EDIT, body=NEW_ARTICLE, outside={"city": "other_city"}),
    door("get", "/api/knowledge/articles/{article}", A_VIEW, A_EDIT, any_of=True, outside=ARTICLE),
    door("patch", "/api/knowledge/articles/{article}", A_EDIT, body={"title": "5G套餐资费（新）"}, outside=ARTICLE),
    door("delete", "/api/knowledge/articles/{draft}", A_EDIT, outside=DRAFT),
    door("post", "/api/knowledge/articles/{draft}/publish", A_EDIT, body={}, outside=DRAFT),
    door("post", "/api/knowledge/articles/{article}/retire", A_EDIT, body={}, outside=ARTICLE),
    door("get", "/api/knowledge/articles/{article}/versions", A_VIEW, A_EDIT, any_of=True, outside=ARTICLE),
    door("get", "/api/knowledge/articles/{article}/versions/1", A_VIEW, A_EDIT, any_of=True, outside=ARTICLE),
    door("get", "/api/knowledge/cases", C_VIEW, C_EDIT, any_of=True),
    door("post", "/api/knowledge/cases", C_EDIT, body=NEW_CASE),
    door("post", "/api/knowledge/cases/from-order", C_EDIT, ORDER_VIEW, body={"serial": "{serial}"}, outside=SERIAL),
    door("get", "/api/knowledge/cases/{case}", C_VIEW, C_EDIT, any_of=True),
    door("patch", "/api/knowledge/cases/{case}", C_EDIT, body={"title": "国际漫游无法上网（新）"}),
    door("delete", "/api/knowledge/cases/{case}", C_EDIT),
    door("post", "/api/knowledge/cases/{draft_case}/publish", C_EDIT, body={}),
    door("post", "/api/knowledge/cases/{case}/unpublish", C_EDIT, body={}),
]

UI = [
    door("get", "/knowledge/search/?q=5G", A_VIEW, A_EDIT, C_VIEW, C_EDIT, any_of=True),
    door("get", "/knowledge/search/partial/?q=5G", A_VIEW, A_EDIT, C_VIEW, C_EDIT, any_of=True),
    door("get", "/knowledge/articles/", A_VIEW, A_EDIT, any_of=True),
    door("get", "/knowledge/articles/new/", A_EDIT),
    door("post", "/knowledge/articles/new/", A_EDIT, status=(302,), outside={"city": "other_city"},
         body={"title": "国际漫游资费", "body": "日本每天30元。", "category": "tariff", "org": "{city}"}),
    door("get", "/knowledge/articles/{article}/", A_VIEW, A_EDIT, any_of=True, outside=ARTICLE),
    door("get", "/knowledge/articles/{article}/edit/", A_EDIT, outside=ARTICLE),
    door("post", "/knowledge/articles/{draft}/publish/", A_EDIT, status=(302,), outside=DRAFT),
    door("post", "/knowledge/articles/{article}/retire/", A_EDIT, status=(302,), outside=ARTICLE),
    door("post", "/knowledge/articles/{draft}/delete/", A_EDIT, status=(302,), outside=DRAFT),
    door("get", "/knowledge/articles/{article}/versions/1/", A_VIEW, A_EDIT, any_of=True, outside=ARTICLE),
    door("get", "/knowledge/cases/", C_VIEW, C_EDIT, any_of=True),
    door("get", "/knowledge/cases/new/", C_EDIT),
    door("get", "/knowledge/cases/from-order/{serial}/", C_EDIT, ORDER_VIEW, outside=SERIAL),
    door("get", "/knowledge/cases/{case}/", C_VIEW, C_EDIT, any_of=True),
    door("get", "/knowledge/cases/{case}/edit/", C_EDIT),
    door("post", "/knowledge/cases/{draft_case}/publish/", C_EDIT, body={"published": "1"}, status=(302,)),
    door("post", "/knowledge/cases/{case}/delete/", C_EDIT, status=(302,)),
]

DOORS = API + UI


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
