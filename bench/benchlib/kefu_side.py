"""Kefu's side of bench/workorders.py: base data, bulk-loaded orders, the timer sweep.

Runs in the benchmark's own process (Kefu's virtual environment), with Django
set up against the run's throw-away database. Nothing here is timed except the
sweep functions; the HTTP figures come from the server process.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from kefu.core import clock, context
from kefu.crm.models import Customer
from kefu.iam.models import Position, Staff
from kefu.iam.services.staff import staff_create
from kefu.iam.services.tokens import api_token_create
from kefu.orgs.models import Organisation
from kefu.workorders.kinds import SERIAL_PREFIX
from kefu.workorders.models import ProcessTemplate, State, Timer, WorkOrder, WorkOrderStep
from kefu.workorders.services.templates import compiled, templates_ensure_defaults
from kefu.workorders.services.timers import timers_sweep

from . import bulkload

PASSWORD = "Bench2026kefu"
T = Timer.Kind
#: Kinds of bulk-loaded orders and their share.
KIND_MIX = [("complaint", 40), ("inquiry", 20), ("fault", 15), ("business", 15), ("suggestion", 10)]
TITLES = ["套餐外流量资费争议", "营业厅服务态度差", "小区信号弱通话中断", "未经同意开通增值业务", "家庭宽带频繁掉线",
          "手机无法上网", "本月账单明细", "国际漫游开通规则", "办理携号转网", "建议增加夜间人工客服"]
HOLDER_ORGS = ["GD", "GZ", "SZ", "FS", "GZ-KF", "SZ-KF", "FS-KF", "GD-ZX"]
#: Pending timers are due at least this far ahead, so "nothing is due" holds for the whole run.
PENDING_MARGIN = timedelta(hours=8)
#: Orders generated and written per transaction (bounds the loader's memory at 1M orders).
CHUNK = 50_000


def migrate() -> None:
    call_command("migrate", "--noinput", verbosity=0)


@dataclass
class Cast:
    """The people the HTTP phases act as, with their API tokens."""

    agents: list[dict] = field(default_factory=list)  # creators, one per client thread (GD)
    province: dict = field(default_factory=dict)     # dispatches and reviews (GD)
    city: dict = field(default_factory=dict)         # processes what is dispatched to GZ
    probes: list[dict] = field(default_factory=list)  # holders with a realistic queue, for "my work"
    customers: list[int] = field(default_factory=list)


def _token(staff: Staff) -> str:
    _tok, secret = api_token_create(actor=staff, name="bench")
    return secret


def base_setup(*, staff: int, customers: int, agents: int, probes: int) -> Cast:
    """Demo structure (orgs, roles, teams), ``staff`` people, ``customers`` customers, tokens."""
    from kefu.demo import people, structure
    from kefu.demo.customers import customers_seed

    with context.acting(context.RequestMeta(channel="cli")):
        orgs = structure.orgs_seed()
        roles = structure.roles_seed()
        skills = structure.skills_seed()
        teams = structure.teams_seed(orgs)
        people.staff_seed(count=staff, orgs=orgs, roles=roles, teams=teams, skills=skills, password=PASSWORD)
        customers_seed(count=customers, orgs=orgs, progress=False)
        templates_ensure_defaults(actor="bench")
        gd_agents = list(Staff.objects.filter(org__code="GD", position=Position.AGENT, role__name="话务员")
                         .order_by("pk")[: agents + probes])
        if len(gd_agents) < agents + probes:
            raise RuntimeError(f"need {agents + probes} agents in GD; raise --staff")
        province = Staff.objects.filter(org__code="GD", position=Position.HANDLER).order_by("pk").first()
        city = Staff.objects.filter(employee_no="bench-gz").first() or staff_create(
            actor="bench", employee_no="bench-gz", name="广州处理", password=PASSWORD, org=orgs["GZ"],
            role=roles["后台处理员"], position=Position.HANDLER, validate=False)
        cast = Cast()
        for s in gd_agents[:agents]:
            cast.agents.append({"id": s.pk, "employee_no": s.employee_no, "token": _token(s)})
        cast.province = {"id": province.pk, "employee_no": province.employee_no, "token": _token(province)}
        cast.city = {"id": city.pk, "employee_no": city.employee_no, "token": _token(city)}
        for s in gd_agents[agents:]:
            cast.probes.append({"id": s.pk, "org_id": s.org_id, "employee_no": s.employee_no, "token": _token(s)})
        cast.customers = list(Customer.objects.values_list("pk", flat=True)[:5000])
    return cast


class OrderLoader:
    """Writes valid orders, their history steps and their timers straight into the tables.

    Shape: 60 % open, 5 % forwarded, 32 % closed, 3 % withdrawn; kinds mixed;
    open ones 70 % held by a person of the pool and 30 % by an organisation;
    each probe holder gets exactly ``probe_open`` open orders (first load only);
    10 % of open orders are overdue (overdue timers fired, a reminder pending).
    Every pending timer is due at least ``PENDING_MARGIN`` ahead.
    """

    def __init__(self, cast: Cast, probe_open: int, seed: int = 7):
        self.cast = cast
        self.probe_open = probe_open
        self.seed = seed
        self.serials: dict[tuple[str, str], int] = {}
        self.loaded = 0
        templates_ensure_defaults(actor="bench")
        self.versions = {}
        for tpl in ProcessTemplate.objects.filter(org__isnull=True, product=""):
            v = tpl.current_version()
            c = compiled(v)
            stations = [code for code, st in c.stations.items() if not c.is_final(code)]
            self.versions[tpl.kind] = (v.pk, stations)
        excluded = {p["id"] for p in cast.probes} | {a["id"] for a in cast.agents}
        excluded |= {cast.province["id"], cast.city["id"]}
        self.pool = [(pk, org, f"{no} {name}") for pk, org, no, name in
                     Staff.objects.filter(position__in=[Position.AGENT, Position.HANDLER])
                     .exclude(pk__in=excluded).values_list("pk", "org_id", "employee_no", "name")]
        self.staff_org = {pk: org for pk, org, _l in self.pool}
        self.labels = {pk: label for pk, _o, label in self.pool}
        for p in cast.probes:
            self.staff_org[p["id"]] = p["org_id"]
            self.labels[p["id"]] = p["employee_no"]
        self.orgs = list(Organisation.objects.filter(code__in=HOLDER_ORGS).values_list("pk", flat=True))
        self.tz = ZoneInfo(settings.TIME_ZONE)

    def _serial(self, kind: str, created) -> str:
        prefix = SERIAL_PREFIX[kind]
        day = created.astimezone(self.tz).strftime("%Y%m%d")
        n = self.serials.get((prefix, day), 0) + 1
        self.serials[(prefix, day)] = n
        return f"{prefix}{day}{n:06d}"

    def load(self, to: int) -> dict:
        """Add orders until ``to`` bulk-loaded orders exist."""
        started = time.perf_counter()
        rng = random.Random(self.seed + to)
        now = clock.now()
        count = to - self.loaded
        oid, sid, tid = bulkload.next_id(WorkOrder), bulkload.next_id(WorkOrderStep), bulkload.next_id(Timer)
        kinds = [k for k, w in KIND_MIX for _ in range(w)]
        probe_quota = [] if self.loaded else [p["id"] for p in self.cast.probes for _ in range(self.probe_open)]
        customers = self.cast.customers or [None]
        orders, steps, timers = [], [], []
        done = {"orders": 0, "steps": 0, "timers": 0}

        def flush():
            done["orders"] += bulkload.insert(WorkOrder, orders)
            done["steps"] += bulkload.insert(WorkOrderStep, steps)
            done["timers"] += bulkload.insert(Timer, timers)
            orders.clear()
            steps.clear()
            timers.clear()

        for i in range(count):
            if len(orders) >= CHUNK:
                flush()
            o = oid + i
            kind = rng.choice(kinds)
            version_id, stations = self.versions[kind]
            r = rng.random()
            if i < len(probe_quota) or r < 0.60:
                state = State.OPEN
            elif r < 0.65:
                state = State.FORWARDED
            elif r < 0.97:
                state = State.CLOSED
            else:
                state = State.WITHDRAWN
            is_open = state in (State.OPEN, State.FORWARDED)
            creator, creator_org, _l = rng.choice(self.pool)
            created = now - timedelta(days=rng.uniform(2, 30 if is_open else 365))
            title = rng.choice(TITLES)
            tier = "vip" if rng.random() < 0.1 else "other"
            row = {
                "id": o, "serial": self._serial(kind, created), "kind": kind, "template_version_id": version_id,
                "state": state, "priority": 2 if tier == "vip" else 3, "service_tier": tier,
                "customer_id": rng.choice(customers) if rng.random() < 0.8 else None, "subscriber_id": None,
                "contact_number": f"137{rng.randint(0, 99_999_999):08d}", "channel": "phone",
                "title": title, "description": f"客户来电反映：{title}。请尽快核实处理，并回复客户处理结果。",
                "category": "other", "level": "general" if kind == "complaint" else "",
                "source": "customer" if kind == "complaint" else "",
                "complainant_type": "ordinary" if kind == "complaint" else "", "place": "", "details": {},
                "creator_id": creator, "org_id": creator_org, "created_at": created,
                "idempotency_key": None, "holder_team_id": None,
            }
            if is_open:
                if i < len(probe_quota):
                    holder_staff = probe_quota[i]
                    holder_org = self.staff_org[holder_staff]
                elif rng.random() < 0.7:
                    holder_staff, holder_org, _l = rng.choice(self.pool)
                else:
                    holder_staff, holder_org = None, rng.choice(self.orgs)
                idx = rng.randrange(len(stations))
                station = "process" if state == State.FORWARDED and "process" in stations else stations[idx]
                k = min(1 + stations.index(station), 3)
                entered = created + timedelta(hours=rng.uniform(0, 24))
                overdue = rng.random() < 0.10
                if overdue:
                    station_due = now - timedelta(hours=rng.uniform(1, 48))
                    reply_due = now - timedelta(hours=rng.uniform(0.5, 24))
                else:
                    station_due = now + PENDING_MARGIN + timedelta(hours=rng.uniform(2.5, 24 * 7))
                    reply_due = now + PENDING_MARGIN + timedelta(hours=rng.uniform(2.5, 24 * 10))
                row.update(station=station, holder_org_id=holder_org, holder_staff_id=holder_staff,
                           updated_at=entered, station_entered_at=entered, station_due_at=station_due,
                           reply_due_at=reply_due, accepted_at=entered if k > 1 else None,
                           is_overdue=overdue, overdue_since=station_due if overdue else None, warned=overdue,
                           escalation_level=1 if overdue else 0, version=k)
                timers += self._open_timers(tid + done["timers"] + len(timers), o, k, now, station_due, reply_due, rng, overdue)
            else:
                k = 2
                closed = created + timedelta(days=rng.uniform(0.5, 10))
                row.update(station="closed", holder_org_id=creator_org, holder_staff_id=creator, updated_at=closed,
                           station_entered_at=closed, station_due_at=None, reply_due_at=created + timedelta(days=3),
                           closed_at=closed, replied_at=closed if state == State.CLOSED else None,
                           satisfaction=rng.choice((5, 5, 4, 4, 3, 2)) if state == State.CLOSED else None,
                           reply_text="已向客户解释并处理完毕" if state == State.CLOSED else "客户撤销", version=k)
                for j, kd in enumerate((T.REPLY_WARNING, T.REPLY_OVERDUE, T.STATION_WARNING, T.STATION_OVERDUE)):
                    timers.append({"id": tid + done["timers"] + len(timers), "order_id": o, "kind": kd, "due_at": created
                                   + timedelta(days=1 + j), "state": Timer.State.CANCELLED, "step_seq": 1,
                                   "ref": None, "created_at": created, "fired_at": None, "fired_by": ""})
            orders.append(row)
            for seq in range(1, k + 1):
                first = seq == 1
                last_closed = not is_open and seq == k
                steps.append({
                    "id": sid + done["steps"] + len(steps), "order_id": o, "seq": seq, "at": created + timedelta(minutes=seq),
                    "actor_id": creator, "actor_label": self.labels.get(creator, ""), "actor_org_id": creator_org,
                    "action": "create" if first else ("close" if last_closed else "accept"), "outcome": "",
                    "from_station": "" if first else "accept", "to_station": row["station"] if seq == k else "accept",
                    "text": row["description"] if first else "", "time_spent": 0 if first else 600,
                    "overdue": False, "late_reason": "", "holder_org_id": row["holder_org_id"],
                    "holder_team_id": None, "holder_staff_id": row["holder_staff_id"], "data": {},
                })
        flush()
        bulkload.reset_sequences(WorkOrder, WorkOrderStep, Timer)
        bulkload.analyze(WorkOrder, WorkOrderStep, Timer)
        self.loaded = to
        return {**done, "seconds": time.perf_counter() - started}

    @staticmethod
    def _open_timers(first_id, order_id, step_seq, now, station_due, reply_due, rng, overdue) -> list[dict]:
        out = []
        lead = timedelta(hours=2)
        plan = [(T.STATION_WARNING, station_due - lead, step_seq), (T.STATION_OVERDUE, station_due, step_seq),
                (T.REPLY_WARNING, reply_due - lead, 0), (T.REPLY_OVERDUE, reply_due, 0)]
        if overdue:
            plan.append((T.REMINDER, now + PENDING_MARGIN + timedelta(hours=rng.uniform(0, 4)), step_seq))
        for kind, due, seq in plan:
            pending = due > now
            out.append({"id": first_id + len(out), "order_id": order_id, "kind": kind, "due_at": due,
                        "state": Timer.State.PENDING if pending else Timer.State.FIRED, "step_seq": seq,
                        "ref": None, "created_at": now - timedelta(days=1),
                        "fired_at": None if pending else due, "fired_by": "" if pending else "bench-load"})
        return out


def counts() -> dict:
    return {
        "orders": WorkOrder.objects.count(),
        "open": WorkOrder.objects.filter(state__in=(State.OPEN, State.FORWARDED)).count(),
        "timers": Timer.objects.count(),
        "pending": Timer.objects.filter(state=Timer.State.PENDING).count(),
    }


def probe_queue_sizes(cast: Cast) -> list[int]:
    return [WorkOrder.objects.filter(holder_staff_id=p["id"], state__in=(State.OPEN, State.FORWARDED)).count()
            for p in cast.probes]


# --- (d) the timer sweep ---------------------------------------------------------------------------


def drain_due() -> int:
    """Fire whatever is due now (not timed), so that the idle pass really finds nothing."""
    total = 0
    while n := timers_sweep(worker="bench-drain", limit=5000, deadline_seconds=600):
        total += n
    return total


def sweep_idle(passes: int) -> list[float]:
    """Seconds of each ``timers_sweep()`` pass that finds nothing due (one claim query)."""
    out = []
    for _ in range(passes):
        t0 = time.perf_counter()
        fired = timers_sweep(worker="bench-idle")
        out.append(time.perf_counter() - t0)
        if fired:
            raise RuntimeError(f"the idle sweep fired {fired} timers; the load left some due")
    return out


def make_due(k: int, seed: int = 11) -> int:
    """Move ``k`` random pending timers of open orders to one minute ago."""
    rng = random.Random(seed)
    ids = list(Timer.objects.filter(state=Timer.State.PENDING, order__isnull=False,
                                    order__state__in=(State.OPEN, State.FORWARDED))
               .values_list("id", flat=True))
    chosen = rng.sample(ids, min(k, len(ids)))
    due = clock.now() - timedelta(minutes=1)
    for i in range(0, len(chosen), 500):
        Timer.objects.filter(pk__in=chosen[i:i + 500]).update(due_at=due)
    return len(chosen)


def sweep_fire(k: int) -> tuple[int, float]:
    """Seconds to fire ``k`` due timers with ``timers_sweep`` (as the worker does)."""
    t0 = time.perf_counter()
    fired = 0
    while fired < k:
        n = timers_sweep(worker="bench-fire", limit=k - fired, deadline_seconds=600)
        if not n:
            break
        fired += n
    return fired, time.perf_counter() - t0


def explain(cast: Cast) -> str:
    """Query plans of the two hot reads (printed with --explain)."""
    from kefu.workorders import selectors

    actor = Staff.objects.select_related("org", "role").get(pk=cast.probes[0]["id"])
    qs = selectors.my_work(actor=actor)
    opts = {"analyze": True} if connection.vendor == "postgresql" else {}
    out = ["-- my_work (page 1):", qs[:50].explain(**opts), "-- my_work count:"]
    with connection.cursor() as cur:
        sql, params = qs.order_by().values("pk").query.sql_with_params()
        prefix = "EXPLAIN ANALYZE" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
        cur.execute(f"{prefix} SELECT COUNT(*) FROM ({sql}) s", params)
        out.append("\n".join(" | ".join(str(c) for c in r) for r in cur.fetchall()))
    from django.db import transaction

    with transaction.atomic():
        qs = Timer.objects.filter(state=Timer.State.PENDING, due_at__lte=clock.now()).order_by("due_at")
        if connection.vendor == "postgresql":
            qs = qs.select_for_update(skip_locked=True)
        out += ["-- timer claim:", qs.values_list("id", flat=True)[:1].explain(**opts)]
    return "\n".join(out)
