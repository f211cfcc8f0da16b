"""Demo organisations, roles, skill groups and teams."""

from __future__ import annotations

from kefu.iam.models import Role, SkillGroup, Team
from kefu.iam.services.roles import role_create, role_grant
from kefu.orgs.models import Organisation, OrgKind
from kefu.orgs.services import org_create

SYSTEM = "demo-seed"

# (code, name, kind, parent code, external kind)
ORGS = [
    ("HQ", "中国移动集团客服部", OrgKind.HQ, None, ""),
    ("GD", "广东省客服中心", OrgKind.PROVINCE, "HQ", ""),
    ("GD-ZX", "综合服务部", OrgKind.DEPARTMENT, "GD", ""),
    ("GD-ZJ", "质检部", OrgKind.DEPARTMENT, "GD", ""),
    ("GD-YW", "市场业务部", OrgKind.DEPARTMENT, "GD", ""),  # receives the suggestion digest
    ("GZ", "广州分公司", OrgKind.CITY, "GD", ""),
    ("GZ-KF", "广州客服部", OrgKind.DEPARTMENT, "GZ", ""),
    ("GZ-WY", "广州网络运维部", OrgKind.DEPARTMENT, "GZ", ""),
    ("SZ", "深圳分公司", OrgKind.CITY, "GD", ""),
    ("SZ-KF", "深圳客服部", OrgKind.DEPARTMENT, "SZ", ""),
    ("FS", "佛山分公司", OrgKind.CITY, "GD", ""),
    ("FS-KF", "佛山客服部", OrgKind.DEPARTMENT, "FS", ""),
    ("EXT-BJ", "北京省客服中心", OrgKind.EXTERNAL, "HQ", "province_center"),
    ("EXT-HW", "华为终端客服", OrgKind.EXTERNAL, "HQ", "handset_maker"),
    ("EXT-BOSS", "广东BOSS计费系统", OrgKind.EXTERNAL, "GD", "billing"),
]

# name, description, super?, granted codes
ROLES = [
    ("超级管理员", "Super administrator: unrestricted", True, []),
    ("值班长", "Supervisor: runs the floor, manages teams and temporary permissions", False,
     ["iam.staff.view", "iam.team", "iam.skill.view", "iam.temporary", "iam.role.view", "orgs.org.view",
      "audit.log.view", "params.param.view", "crm.customer.view", "crm.customer.reveal", "crm.password.reset",
      "iam.token.manage", "workorders.order", "workorders.supervision", "workorders.template.view",
      "workorders.coordination.view", "knowledge", "contactcenter.supervise", "contactcenter.queue",
      "contactcenter.contact.view", "contactcenter.callback", "contactcenter.desk.use", "ivr.flow", "billing",
      "messaging", "outlets.message.send", "kpi", "surveys", "simulation", "quality"]),
    ("排班计划员", "Workforce planner: forecasts the load, calculates staffing, simulates the center", False,
     ["simulation", "contactcenter.queue.view", "contactcenter.supervise.view", "iam.team.view", "orgs.org.view"]),
    ("话务员", "Agent: answers customers", False,
     ["crm.customer.view", "workorders.order.view", "workorders.order.create", "workorders.order.handle",
      "workorders.order.urge", "knowledge.article.view", "knowledge.case.view", "contactcenter.desk.use",
      "billing", "messaging.message.send", "outlets.message.send", "surveys.survey.send", "quality.own"]),
    ("后台处理员", "Back-office handler: processes work orders", False,
     ["crm.customer.view", "orgs.org.view", "iam.token.manage", "workorders.order.view", "workorders.order.handle",
      "workorders.order.urge", "workorders.order.export", "workorders.coordination.view",
      "knowledge.article.view", "knowledge.case.view", "knowledge.case.edit"]),
    ("客户经理", "Account manager: serves VIP and enterprise customers, takes their pre-accepted requests", False,
     ["crm.customer.view", "workorders.order.view", "workorders.order.handle", "workorders.order.urge",
      "knowledge.article.view", "knowledge.case.view", "billing"]),
    ("质检员", "Quality inspector: scores agents' contacts", False,
     ["crm.customer.view", "iam.staff.view", "iam.team.view", "audit.log.view", "workorders.order.view",
      "workorders.supervision.view", "knowledge.article.view", "knowledge.case.view", "contactcenter.contact.view",
      "contactcenter.supervise.view", "ivr.flow.view", "kpi.report.view", "surveys.script", "surveys.survey.view",
      "surveys.survey.import", "surveys.stats", "quality.form", "quality.inspection", "quality.improvement",
      "quality.report"]),
]

SKILLS = [
    ("general", "普通话综合"), ("vip", "大客户服务"), ("billing", "话费账单"), ("complaint", "投诉处理"),
    ("data", "数据业务"), ("cantonese", "粤语服务"), ("english", "英语服务"), ("terminal", "终端故障"),
]

TEAMS = [("GD", "一班"), ("GD", "二班"), ("GD", "VIP班"), ("GZ", "广州一班"), ("SZ", "深圳一班"),
         ("FS", "佛山一班")]


def orgs_seed() -> dict[str, Organisation]:
    by_code = {o.code: o for o in Organisation.objects.filter(code__in=[c for c, *_ in ORGS])}
    for code, name, kind, parent, ext in ORGS:
        if code not in by_code:
            by_code[code] = org_create(
                actor=SYSTEM, code=code, name=name, kind=kind, parent=by_code.get(parent) if parent else None,
                external_kind=ext,
            )
    return by_code


def roles_seed() -> dict[str, Role]:
    roles = {}
    for name, description, is_super, codes in ROLES:
        role = Role.objects.filter(name=name).first() or role_create(
            actor=SYSTEM, name=name, description=description, is_super=is_super
        )
        if codes:
            role_grant(actor=SYSTEM, role=role, codes=codes)
        roles[name] = role
    return roles


def skills_seed() -> dict[str, SkillGroup]:
    out = {}
    for code, name in SKILLS:
        out[code], _created = SkillGroup.objects.get_or_create(code=code, defaults={"name": name})
    return out


def teams_seed(orgs) -> list[Team]:
    teams = []
    for org_code, name in TEAMS:
        team, _created = Team.objects.get_or_create(org=orgs[org_code], name=name)
        teams.append(team)
    return teams
