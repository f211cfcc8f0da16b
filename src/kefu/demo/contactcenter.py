"""Demo contact center: queues with skills, overflow and scripts."""

from __future__ import annotations

from kefu.contactcenter.models import Queue, QueueSkill
from kefu.iam.models import SkillGroup

SYSTEM = "demo-seed"

# code, name, skills [(skill, min level)], overflow, script
QUEUES = [
    ("GEN", "综合服务队列", [("general", 1)], [],
     "您好，很高兴为您服务，请问有什么可以帮您？\n核实身份：请客户提供服务密码或证件号码后四位。"),
    ("VIP", "大客户专席", [("vip", 5)], [{"after": 30, "skills": [["vip", 1]]}, {"after": 60, "skills": [["general", 3]]}],
     "尊敬的客户您好，我是您的专属客服，请问有什么可以帮您？"),
    ("BILL", "话费账单队列", [("billing", 3)], [{"after": 45, "skills": [["general", 1]]}],
     "您好，关于话费账单的问题请先核实客户身份，再查询账单明细。"),
    ("CPL", "投诉处理队列", [("complaint", 3)], [{"after": 60, "skills": [["general", 5]]}],
     "您好，非常抱歉给您带来不便，请您详细说明情况，我会全程跟进。"),
]


def queues_seed(orgs) -> list[Queue]:
    skills = {s.code: s for s in SkillGroup.objects.all()}
    out = []
    for code, name, reqs, overflow, script in QUEUES:
        q, created = Queue.objects.get_or_create(code=code, defaults={
            "name": name, "org": orgs["GD"], "overflow": overflow, "script": script,
            "max_wait_seconds": 240, "max_wait_action": Queue.MaxWaitAction.CALLBACK})
        if created:
            for skill, level in reqs:
                if skill in skills:
                    QueueSkill.objects.create(queue=q, skill_group=skills[skill], min_level=level)
        out.append(q)
    return out

