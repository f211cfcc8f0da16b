"""Suggestions (SPEC §4): the periodic digest to the business department, and the feedback on adoption."""

from datetime import timedelta

import pytest

from kefu.core import clock
from kefu.core.tasks import jobs
from kefu.core.testing import JsonClient, client_for, make_org, make_staff
from kefu.params.services import param_set
from kefu.workorders.models import Notice, SuggestionDigest
from kefu.workorders.services.digests import suggestion_digests_due
from kefu.workorders.services.orders import workorder_create

from .conftest import HANDLER_PERMS, act


def _suggestion(center, title, category, text="详见描述", verdict="valid"):
    s, _ = workorder_create(actor=center.agent, kind="suggestion", title=title, description=text,
                            fields={"category": category}, customer=center.mzone)
    act(center.agent, s, "accept")
    act(center.backoffice, s, "review", text="复核", outcome=verdict)
    s.refresh_from_db()
    return s


@pytest.fixture
def business(center):
    dept = make_org(code="GD-YW", kind="department", name="业务部", parent=center.province)
    people = [make_staff(org=dept, perms=["workorders.order.view", "workorders.order.handle"],
                         employee_no=f"YW0{i}") for i in (1, 2)]
    param_set(actor=center.agent, key="workorders.suggestion_digest.org", raw="GD-YW")
    return dept, people


def test_the_weekly_digest_groups_the_weeks_suggestions_by_category_for_the_business_department(center, business):
    dept, people = business
    start = clock.now()
    clock.freeze(start)
    assert suggestion_digests_due() == 1  # the first run sums up the week before it
    SuggestionDigest.objects.all().delete()
    Notice.objects.filter(kind="digest").delete()
    clock.freeze(start - timedelta(days=6))
    _suggestion(center, "建议推出老年人套餐", "tariff", "老人用不完流量")
    _suggestion(center, "建议流量包可结转", "tariff", "月底流量浪费")
    _suggestion(center, "建议营业厅周日延长营业", "other", "周日人多")
    _suggestion(center, "重复的建议", "rules", verdict="invalid")
    clock.freeze(start)
    assert suggestion_digests_due() == 1
    assert suggestion_digests_due() == 0  # once per period
    digest = SuggestionDigest.objects.get()
    assert digest.total == 3 and digest.org == dept
    assert digest.period_end - digest.period_start == timedelta(days=7)
    counts = {c["category"]: c["count"] for c in digest.categories}
    assert counts == {"tariff": 2, "other": 1}
    texts = [i["text"] for c in digest.categories for i in c["items"]]
    assert "老人用不完流量" in texts and "周日人多" in texts
    assert set(Notice.objects.filter(kind="digest", digest=digest).values_list("recipient", flat=True)) == {
        p.pk for p in people}

    clock.advance(timedelta(days=6))
    assert suggestion_digests_due() == 0  # the next one comes a week after
    clock.advance(timedelta(days=1))
    assert suggestion_digests_due() == 1

    reader = JsonClient(client_for(people[0]))
    rows = reader.get("/api/workorders/suggestion-digests").json()["items"]
    assert len(rows) == 2 and rows[1]["id"] == digest.pk and rows[1]["total"] == 3
    one = reader.get(f"/api/workorders/suggestion-digests/{digest.pk}").json()
    tariff = next(c for c in one["categories"] if c["category"] == "tariff")
    assert tariff["count"] == 2 and tariff["label"] and len(tariff["items"]) == 2
    page = client_for(people[0]).get(f"/workorders/suggestion-digests/{digest.pk}/").content.decode()
    assert "建议推出老年人套餐" in page and "老人用不完流量" in page
    my_work = client_for(people[1]).get("/workorders/").content.decode()
    assert f"/workorders/suggestion-digests/{digest.pk}/" in my_work  # the notice leads to the digest
    notices = reader.get("/api/workorders/notices").json()["items"]
    assert any(n["digest_id"] == digest.pk and n["order_serial"] is None for n in notices)
    outsider = JsonClient(client_for(make_staff(org=center.sz, perms=["workorders.order.view"])))
    assert outsider.get(f"/api/workorders/suggestion-digests/{digest.pk}").status_code == 404


def test_the_digest_period_is_a_parameter_and_the_job_is_scheduled(center, business):
    param_set(actor=center.agent, key="workorders.suggestion_digest.every", raw="1d")
    clock.freeze(clock.now())
    suggestion_digests_due()
    clock.advance(timedelta(days=1))
    assert suggestion_digests_due() == 1
    d = SuggestionDigest.objects.order_by("-period_end").first()
    assert d.period_end - d.period_start == timedelta(days=1)
    assert any(j.name.endswith("suggestion_digests") for j in jobs())


def test_adoption_feedback_is_an_action_told_to_the_customer(center):
    s = _suggestion(center, "建议推出老年人套餐", "tariff")
    act(center.backoffice, s, "dispatch", text="请业务部研究", to_org=center.gz)
    gz = make_staff(org=center.gz, perms=HANDLER_PERMS, employee_no="G777")
    act(gz, s, "process", text="纳入明年资费规划")
    s.refresh_from_db()
    api = JsonClient(client_for(center.agent))
    page = client_for(center.agent).get(f"/workorders/{s.serial}/").content.decode()
    assert 'data-testid="action-adoption"' in page
    r = api.post(f"/api/workorders/orders/{s.pk}/actions/adoption", {"version": s.version, "text": "已告知客户"})
    assert r.status_code == 400 and r.json()["code"] == "adoption_required"
    r = api.post(f"/api/workorders/orders/{s.pk}/actions/adoption",
                 {"version": s.version, "outcome": "under_study", "text": "已告知客户：建议正在研究"})
    assert r.status_code == 200, r.json()
    s.refresh_from_db()
    assert s.details["adoption"] == "under_study" and s.station == "reply"
    step = s.steps.order_by("-seq").first()
    assert step.action == "adoption" and step.outcome == "under_study" and "told_customer" in step.data
    act(center.agent, s, "reply", text="感谢建议")
    s.refresh_from_db()
    assert s.state == "closed"
    # later the business department decides: the customer is told again, on the closed order
    form = client_for(center.agent).post(f"/workorders/{s.serial}/act/adoption/", {
        "version": s.version, "adoption": "adopted", "text": "已告知客户：建议已采纳"})
    assert form.status_code in (204, 302), form.content
    s.refresh_from_db()
    assert s.details["adoption"] == "adopted" and s.state == "closed"
    assert "建议已采纳" in client_for(center.agent).get(f"/workorders/{s.serial}/").content.decode()


def test_no_adoption_for_an_invalid_suggestion(center):
    from kefu.workorders.services.actions import available_actions

    s = _suggestion(center, "重复的建议", "rules", verdict="invalid")
    assert "adoption" not in available_actions(center.agent, s)


def test_running_centers_get_the_adoption_action_as_a_new_template_version(db):
    """The migration publishes a new version of a default suggestion template made before adoption existed."""
    import copy
    import importlib

    from django.apps import apps

    from kefu.workorders.default_templates import DEFAULTS
    from kefu.workorders.models import ProcessTemplate, TemplateVersion

    old = copy.deepcopy(DEFAULTS["suggestion"])
    for st in old["stations"]:
        st["actions"] = {a: t for a, t in st["actions"].items() if a != "adoption"}
    tpl = ProcessTemplate.objects.create(kind="suggestion", name="建议", org=None)
    TemplateVersion.objects.create(template=tpl, number=1, definition=old, note="default")
    migration = importlib.import_module("kefu.workorders.migrations.0003_suggestion_digest_and_adoption")
    migration._adoption_in_default_suggestion_templates(apps, None)
    migration._adoption_in_default_suggestion_templates(apps, None)  # once only
    assert list(tpl.versions.values_list("number", flat=True).order_by("number")) == [1, 2]
    stations = {s["code"]: s for s in tpl.versions.get(number=2).definition["stations"]}
    assert stations["reply"]["actions"]["adoption"] == stations["closed"]["actions"]["adoption"] == "@stay"
