"""Demo staff: the five roles, spread over the center and the branches.

The five named demo logins go through ``staff_create`` (validated, audited).
Everyone else is bulk-inserted with one shared password hash, so that
``kefu seed --staff 1000000`` takes minutes, not days of Argon2 hashing; the
run leaves one summary audit entry.
"""

from __future__ import annotations

import random

from kefu.audit.models import AuditAction
from kefu.audit.services import audit_record
from kefu.core import clock
from kefu.iam.models import Position, Staff, StaffSkill
from kefu.iam.services.staff import staff_create

from .progress import progress_bar

SYSTEM = "demo-seed"
BATCH = 5_000

DEMO_LOGINS = [
    ("admin", "超级管理员 / super administrator"),
    ("sup001", "值班长 / supervisor"),
    ("agent001", "话务员 / agent"),
    ("handler001", "后台处理员 / back-office handler"),
    ("qc001", "质检员 / quality inspector"),
    ("am001", "客户经理 / account manager (广州)"),
]

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉鹏晨欣怡子涵浩宇"

# (role name, position, employee-number prefix), cycled to give ~7 agents per 13 people; account managers
# (two in each 13) always sit at a city branch, whose customers they serve.
_MIX = ([("话务员", Position.AGENT, "agent")] * 7 + [("后台处理员", Position.HANDLER, "handler")] * 2
        + [("值班长", Position.SUPERVISOR, "sup"), ("质检员", Position.INSPECTOR, "qc")]
        + [("客户经理", Position.ACCOUNT_MANAGER, "am")] * 2)
# City staff sit at the city branch, whose customers and queue they serve.
_ORG_CYCLE = ["GD", "GD", "GD", "GZ", "SZ", "FS"]
_CITIES = ["GZ", "SZ", "FS"]


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _fixed(orgs, roles, teams, password: str) -> list[Staff]:
    plan = [
        ("admin", "系统管理员", "GD", "超级管理员", Position.ADMIN, None),
        ("sup001", "陈值班", "GD", "值班长", Position.SUPERVISOR, None),
        ("agent001", "李小话", "GD", "话务员", Position.AGENT, teams[0]),
        ("handler001", "王处理", "GZ", "后台处理员", Position.HANDLER, None),
        ("qc001", "赵质检", "GD-ZJ", "质检员", Position.INSPECTOR, None),
        # One account manager per city branch, so every city's VIP and enterprise customers have one.
        ("am001", "黄经理", "GZ", "客户经理", Position.ACCOUNT_MANAGER, None),
        ("am002", "林经理", "SZ", "客户经理", Position.ACCOUNT_MANAGER, None),
        ("am003", "梁经理", "FS", "客户经理", Position.ACCOUNT_MANAGER, None),
    ]
    made = []
    for employee_no, name, org, role, position, team in plan:
        if not Staff.objects.filter(employee_no=employee_no).exists():
            made.append(staff_create(
                actor=SYSTEM, employee_no=employee_no, name=name, password=password, org=orgs[org],
                role=roles[role], team=team, position=position, level=3, validate=False,
            ))
    return made


def _demo_agent_skills(skills) -> None:
    """The newcomer's agent login can take every kind of demo call."""
    agent = Staff.objects.get(employee_no="agent001")
    for code, level in (("general", 7), ("vip", 6), ("billing", 6), ("complaint", 5)):
        if code in skills:
            StaffSkill.objects.get_or_create(staff=agent, skill_group=skills[code], defaults={"level": level})


def staff_seed(*, count: int, orgs, roles, teams, skills, password: str, progress: bool = False) -> int:
    """Top up the staff to ``count`` people (at least the demo logins, the city account managers and the
    simulated switch's account, which docs/cti.md promises)."""
    from kefu.contactcenter.simswitch.identity import switch_staff_ensure

    made = _fixed(orgs, roles, teams, password)
    switch_staff_ensure(org=orgs["HQ"])
    _demo_agent_skills(skills)
    shared_hash = Staff.objects.get(employee_no="admin").password
    existing = Staff.objects.count()
    missing = count - existing
    if missing <= 0:
        return len(made)
    rng = random.Random(2026 + existing)
    teams_by_org = {}
    for t in teams:
        teams_by_org.setdefault(t.org_id, []).append(t)
    skill_list = list(skills.values())
    now = clock.now()
    # Numbers continue after the highest seeded one, so re-runs never collide.
    start = existing + 1
    bar = progress_bar(total=missing, desc="staff", enabled=progress)
    created = 0
    while created < missing:
        chunk = []
        for i in range(start + created, start + min(missing, created + BATCH)):
            role, position, prefix = _MIX[i % len(_MIX)]
            org = orgs[_ORG_CYCLE[i % len(_ORG_CYCLE)]]
            if position == Position.ACCOUNT_MANAGER:
                org = orgs[_CITIES[i % len(_CITIES)]]
            team = rng.choice(teams_by_org[org.pk]) if position == Position.AGENT and org.pk in teams_by_org else None
            chunk.append(Staff(
                employee_no=f"{prefix}{i:03d}" if i < 1000 else f"{prefix}{i}", name=_name(rng), org=org,
                role=roles[role], team=team, position=position, level=rng.randint(1, 5),
                gender=rng.choice("MF"), phone=f"139{rng.randint(0, 99_999_999):08d}", password=shared_hash,
                status_changed_at=now, password_changed_at=now,
            ))
        existing_nos = set(Staff.objects.filter(employee_no__in=[s.employee_no for s in chunk])
                           .values_list("employee_no", flat=True))
        chunk = [s for s in chunk if s.employee_no not in existing_nos]
        Staff.objects.bulk_create(chunk, batch_size=1000)
        agents = Staff.objects.filter(employee_no__in=[s.employee_no for s in chunk if s.position == Position.AGENT])
        StaffSkill.objects.bulk_create(
            [StaffSkill(staff_id=pk, skill_group=sg, level=rng.randint(1, 10))
             for pk in agents.values_list("pk", flat=True) for sg in rng.sample(skill_list, 3)],
            batch_size=1000,
        )
        step = min(BATCH, missing - created)
        created += step
        bar.update(step)
    bar.close()
    audit_record(actor=SYSTEM, action=AuditAction.CREATE, object_type="iam.staff",
                 note=f"demo seed: {created} staff bulk-created", result_count=created)
    return len(made) + created
