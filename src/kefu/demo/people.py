"""Demo staff: the five roles, spread over the center and the branches."""

from __future__ import annotations

import random

from kefu.iam.models import Position, Staff, StaffSkill
from kefu.iam.services.staff import staff_create

SYSTEM = "demo-seed"

DEMO_LOGINS = [
    ("admin", "超级管理员 / super administrator"),
    ("sup001", "值班长 / supervisor"),
    ("agent001", "话务员 / agent"),
    ("handler001", "后台处理员 / back-office handler"),
    ("qc001", "质检员 / quality inspector"),
]

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉鹏晨欣怡子涵浩宇"


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def staff_seed(*, count: int, orgs, roles, teams, skills, password: str) -> int:
    """Create the named demo logins, then agents and others up to ``count``."""
    rng = random.Random(2026)
    made = 0
    fixed = [
        ("admin", "系统管理员", "GD", "超级管理员", Position.ADMIN, None),
        ("sup001", "陈值班", "GD", "值班长", Position.SUPERVISOR, None),
        ("agent001", "李小话", "GD", "话务员", Position.AGENT, teams[0]),
        ("handler001", "王处理", "GZ-KF", "后台处理员", Position.HANDLER, None),
        ("qc001", "赵质检", "GD-ZJ", "质检员", Position.INSPECTOR, None),
    ]
    plan = list(fixed)
    org_cycle = ["GD", "GD", "GD", "GZ-KF", "SZ-KF", "FS-KF"]
    kinds = ([("话务员", Position.AGENT)] * 7 + [("后台处理员", Position.HANDLER)] * 2
             + [("值班长", Position.SUPERVISOR)] + [("质检员", Position.INSPECTOR)])
    i = 2
    while len(plan) < count:
        role, position = kinds[len(plan) % len(kinds)]
        org = org_cycle[len(plan) % len(org_cycle)]
        prefix = {Position.AGENT: "agent", Position.HANDLER: "handler", Position.SUPERVISOR: "sup",
                  Position.INSPECTOR: "qc"}[position]
        team = None
        if position == Position.AGENT:
            team = next((t for t in teams if t.org.code == org), None)
            if org == "GD":
                team = teams[len(plan) % 3]
        plan.append((f"{prefix}{i:03d}", _name(rng), org, role, position, team))
        i += 1
    existing = set(Staff.objects.values_list("employee_no", flat=True))
    skill_list = list(skills.values())
    for employee_no, name, org, role, position, team in plan[:max(count, len(fixed))]:
        if employee_no in existing:
            continue
        staff = staff_create(
            actor=SYSTEM, employee_no=employee_no, name=name, password=password, org=orgs[org],
            role=roles[role], team=team, position=position, level=rng.randint(1, 5),
            gender=rng.choice("MF"), phone=f"1390000{rng.randint(1000, 9999)}", validate=False,
        )
        if position == Position.AGENT:
            for sg in rng.sample(skill_list, 3):
                StaffSkill.objects.create(staff=staff, skill_group=sg, level=rng.randint(1, 10))
        made += 1
    return made
