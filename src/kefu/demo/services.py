"""Seeding the demo center: a province center with three city branches, the
five roles, ~50 staff in teams and skill groups, and customers.

Idempotent: every step looks up what exists by its natural key and only adds
what is missing, so ``kefu seed`` can be re-run or grown (more customers).
"""

from __future__ import annotations

from django.db import transaction

from kefu.iam.models import Role, Staff

from . import people, structure

DEMO_PASSWORD = "Kefu2026demo"


def demo_logins() -> list[dict[str, str]]:
    """The logins printed by ``kefu demo`` (all share the demo password)."""
    rows = []
    for employee_no, description in people.DEMO_LOGINS:
        if Staff.objects.filter(employee_no=employee_no).exists():
            rows.append({"employee_no": employee_no, "password": DEMO_PASSWORD, "description": description})
    return rows


def demo_seed(*, customers: int = 10_000, staff: int = 50, progress: bool = False) -> dict[str, int]:
    """Seed (or top up) the demo center."""
    from kefu.core import context

    with context.acting(context.RequestMeta(channel="cli")):
        with transaction.atomic():
            orgs = structure.orgs_seed()
            roles = structure.roles_seed()
            skills = structure.skills_seed()
            teams = structure.teams_seed(orgs)
            _business_department_set()
            made_staff = people.staff_seed(
                count=staff, orgs=orgs, roles=roles, teams=teams, skills=skills, password=DEMO_PASSWORD,
                progress=progress,
            )
        made_customers = _customers_seed(count=customers, orgs=orgs, progress=progress)
        from kefu.billing.seed import billing_seed
        from kefu.ivr.services.flows import ivr_seed
        from kefu.knowledge.seed import knowledge_seed

        from .contactcenter import queues_seed
        from .workorders import workorders_seed

        billing_seed(progress=progress)
        knowledge_seed()
        queues_seed(orgs)
        ivr_seed()
        made_orders = workorders_seed(progress=progress)
    return {"staff": made_staff, "customers": made_customers, "roles": Role.objects.count(), "orders": made_orders}


def _business_department_set() -> None:
    """The demo's business department receives the suggestion digest (unless someone chose another)."""
    from kefu.params.selectors import param_get
    from kefu.params.services import param_set

    if not param_get("workorders.suggestion_digest.org"):
        param_set(actor="demo-seed", key="workorders.suggestion_digest.org", raw="GD-YW")


def _customers_seed(*, count: int, orgs, progress: bool) -> int:
    from .customers import customers_seed

    return customers_seed(count=count, orgs=orgs, progress=progress)
