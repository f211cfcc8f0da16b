"""Demo work orders: every kind in every state, some overdue, some forwarded.

Orders are made through the real services with the clock moved into the past,
so their histories, deadlines, notices and audit entries are what production
would have written. At the end the timer sweep runs at the real time, which
marks the late ones overdue and sends their reminders.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kefu.core import clock
from kefu.crm.models import Subscriber
from kefu.iam.models import Staff
from kefu.orgs.models import Organisation
from kefu.workorders.models import Endpoint, WorkOrder
from kefu.workorders.services.actions import ActionInput, workorder_act
from kefu.workorders.services.deadlines import timers_sweep
from kefu.workorders.services.orders import workorder_create
from kefu.workorders.services.templates import templates_ensure_defaults

from .progress import progress_bar

TITLES = {
    "complaint": [("套餐外流量资费争议", "tariff"), ("营业厅服务态度差", "service"), ("小区信号弱通话中断", "network"),
                  ("未经同意开通增值业务", "business")],
    "inquiry": [("5G套餐资费咨询", "tariff"), ("国际漫游开通规则", "business"), ("本月账单明细", "bill")],
    "business": [("办理携号转网", "change"), ("开通国际长途", "open"), ("集团客户专线预受理", "pre_acceptance")],
    "fault": [("家庭宽带频繁掉线", "broadband"), ("手机无法上网", "data"), ("短信收不到验证码", "sms")],
    "suggestion": [("建议增加夜间人工客服", "other"), ("建议简化套餐变更流程", "rules"), ("建议推出老年人套餐", "tariff")],
}

# Each plan is the list of actions taken; stopping earlier leaves the order at that station.
PLANS = {
    "complaint": ["accept", "dispatch", "process", "review", "reply", "close"],
    "inquiry": ["accept", "process", "reply"],
    "business": ["accept", "process", "reply"],
    "fault": ["accept", "locate", "repair", "verify", "reply"],
    "suggestion": ["accept", "review", "dispatch", "process", "reply"],
}


def _some_subscribers(rng: random.Random, n: int) -> list:
    """A random handful of subscribers without sorting a million rows (ids are nearly dense)."""
    from django.db.models import Max, Min

    bounds = Subscriber.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    if bounds["lo"] is None:
        return []
    ids = {rng.randint(bounds["lo"], bounds["hi"]) for _ in range(n * 2)}
    return list(Subscriber.objects.select_related("customer").filter(pk__in=ids)[:n])


def _fault_time(rng: random.Random) -> str:
    """A time some hours before the (frozen) moment the order is taken."""
    at = timezone.localtime(clock.now() - timedelta(hours=rng.randint(1, 30)))
    return at.strftime("%Y-%m-%d %H:%M")


def _fields(kind: str, category: str, rng: random.Random) -> dict:
    if kind == "complaint":
        return {"complainant_type": rng.choice(["ordinary", "ordinary", "vip", "agent"]), "category": category,
                "level": rng.choice(["general", "general", "urgent", "complex"]), "source": "customer",
                "place": rng.choice(["广州市天河区", "深圳市南山区", "佛山市禅城区"])}
    if kind == "business":
        return {"category": category, "product": "5G畅享套餐"}
    if kind == "fault":
        return {"category": category, "symptom": "间歇性中断", "fault_time": _fault_time(rng),
                "place": rng.choice(["广州市越秀区", "深圳市福田区"])}
    return {"category": category}


class _Cast:
    """Who plays each part in the demo histories."""

    def __init__(self):
        self.admin = Staff.objects.get(employee_no="admin")
        self.agents = list(Staff.objects.filter(position="agent", org__code="GD")[:10]) or [self.admin]
        self.cities = list(Organisation.objects.filter(code__in=["GZ", "SZ", "FS"]))
        self.by_org = {}
        for s in Staff.objects.filter(position="handler").select_related("org"):
            self.by_org.setdefault(s.org.path, s)

    def actor_for(self, order: WorkOrder) -> Staff:
        if order.holder_staff_id:
            return order.holder_staff
        for path, person in self.by_org.items():
            if order.holder_org.path.startswith(path):  # may_act: the holder's organisation or above
                return person
        return self.admin


def _act(cast, order, action, rng, **extra):
    order.refresh_from_db()
    actor = cast.actor_for(order)
    late = order.station_due_at is not None and clock.now() > order.station_due_at
    data = ActionInput(action=action, version=order.version, late_reason="等待客户补充资料" if late else "", **extra)
    if action in ("dispatch",):
        data.to_org = rng.choice(cast.cities)
        data.text = data.text or "请核实处理并反馈"
    elif action == "reply":
        data.text = data.text or "已向客户解释并处理完毕"
        data.satisfaction = rng.choice([5, 5, 4, 4, 3, 2])
    elif action == "review" and order.kind == "suggestion":
        data.outcome = data.outcome or "valid"
        data.text = "建议有参考价值"
    elif action in ("process", "locate", "repair", "verify", "review", "withdraw"):
        data.text = data.text or {"process": "已核实并处理", "locate": "定位为光猫故障", "repair": "已更换光猫",
                                  "verify": "回访确认恢复", "review": "复核通过", "withdraw": "客户撤销"}[action]
    if actor.pk == cast.admin.pk and order.holder_staff_id is None:
        actor = cast.admin
    return workorder_act(actor=actor, order_id=order.pk, data=data)


@transaction.atomic
def workorders_seed(*, per_stage: int = 3, progress: bool = False) -> int:
    """Create the demo orders once (skipped when any order exists); all or nothing."""
    if WorkOrder.objects.exists():
        return 0
    templates_ensure_defaults(actor="demo-seed")
    rng = random.Random(7)
    cast = _Cast()
    subs = _some_subscribers(rng, 400)
    if not subs:
        return 0
    real_now = clock.now()
    jobs = [(kind, stop) for kind, plan in PLANS.items() for stop in range(len(plan) + 1) for _ in range(per_stage)]
    bar = progress_bar(total=len(jobs) + 6, desc="work orders", enabled=progress)
    made = 0
    try:
        for kind, stop in jobs:
            # Older orders went further; the unfinished ones from days ago end up overdue.
            age_hours = rng.uniform(0.2, 10) if stop < 2 else rng.uniform(2, 240)
            clock.freeze(real_now - timedelta(hours=age_hours))
            title, category = rng.choice(TITLES[kind])
            sub = rng.choice(subs)
            order, _ = workorder_create(actor=rng.choice(cast.agents), kind=kind, title=title,
                                        description=f"客户{sub.customer.name}来电反映：{title}。",
                                        fields=_fields(kind, category, rng), customer=sub.customer, subscriber=sub,
                                        contact_number=sub.number)
            for action in PLANS[kind][:stop]:
                clock.advance(timedelta(minutes=rng.randint(10, 200)))
                if clock.now() >= real_now:
                    break
                _act(cast, order, action, rng)
            made += 1
            bar.update(1)
        made += _special_cases(cast, subs, rng, real_now)
        bar.update(6)
    finally:
        clock.reset()
    while timers_sweep(worker="demo-seed", limit=2000):
        pass
    bar.close()
    return made


def _special_cases(cast, subs, rng, real_now) -> int:
    """Withdrawn, invalid suggestion, appeal, internal and external forwards."""
    made = 0
    clock.freeze(real_now - timedelta(hours=30))
    sub = rng.choice(subs)
    c, _ = workorder_create(actor=cast.agents[0], kind="complaint", title="话费被重复扣除", description="客户来电投诉重复扣费",
                            fields=_fields("complaint", "tariff", rng), customer=sub.customer, subscriber=sub)
    _act(cast, c, "withdraw", rng)
    c.refresh_from_db()
    appeal = workorder_act(actor=cast.agents[0], order_id=c.pk, data=ActionInput(
        action="reopen", version=c.version, text="客户对处理结果不满意，向工信部申诉", fields={"source": "regulator"}))
    _act(cast, appeal, "accept", rng)
    made += 2
    s, _ = workorder_create(actor=cast.agents[0], kind="suggestion", title="建议营业厅周日延长营业", description="周日人多",
                            fields={"category": "other"}, customer=sub.customer)
    _act(cast, s, "accept", rng)
    _act(cast, s, "review", rng, outcome="invalid")
    made += 1
    # Forwarded inside Kefu (to a city branch's queue) and outside (to a handset maker that is down).
    for target_code in ("FS", "EXT-HW"):
        clock.advance(timedelta(hours=1))
        sub = rng.choice(subs)
        f, _ = workorder_create(actor=cast.agents[0], kind="complaint", title="手机频繁重启",
                                description="新购手机频繁重启", fields=_fields("complaint", "terminal", rng),
                                customer=sub.customer, subscriber=sub)
        _act(cast, f, "accept", rng)
        target = Organisation.objects.get(code=target_code)
        if target.kind == "external":
            Endpoint.objects.get_or_create(org=target, defaults={"url": "http://127.0.0.1:9/kefu-hook",
                                                                 "secret": "demo-secret-change-me"})
        f.refresh_from_db()
        workorder_act(actor=cast.admin, order_id=f.pk, data=ActionInput(
            action="forward", version=f.version, text="请协助分析终端问题", to_org=target))
        made += 1
    return made
