from types import SimpleNamespace

import pytest

from kefu.core.testing import JsonClient, client_for, make_org, make_staff
from kefu.iam.models import Team
from kefu.quality.permissions import DECIDE, FORM_EDIT, FORM_VIEW, IMPROVE, OWN, REPORT, SCORE, VIEW

from .factories import make_contact, make_form, make_queue

INSPECTOR = (FORM_VIEW, FORM_EDIT, VIEW, SCORE, IMPROVE, REPORT)
SUPERVISOR = (VIEW, DECIDE, IMPROVE, REPORT)


@pytest.fixture
def qa(db):
    """Guangzhou: a team of two agents, an inspector, a supervisor, a queue, contacts; Shenzhen: one agent
    with a contact; a province form."""
    province = make_org(code="GD", name="广东省客服中心", kind="province")
    gz = make_org(code="GZ", name="广州分公司", kind="city", parent=province)
    sz = make_org(code="SZ", name="深圳分公司", kind="city", parent=province)
    team = Team.objects.create(org=gz, name="广州一班")
    agent = make_staff(org=gz, perms=[OWN], employee_no="A001", name="李话务", team=team)
    agent2 = make_staff(org=gz, perms=[OWN], employee_no="A002", name="王话务", team=team)
    sz_agent = make_staff(org=sz, perms=[OWN], employee_no="S001", name="周深圳")
    inspector = make_staff(org=gz, perms=INSPECTOR, employee_no="Q001", name="质检员", position="inspector")
    supervisor = make_staff(
        org=gz, perms=SUPERVISOR, employee_no="G900", name="赵班长", position="supervisor"
    )
    queue = make_queue(gz)
    form = make_form(province)
    contacts = [make_contact(agent, queue=queue, talk=t) for t in (60, 120, 900)]
    contacts += [make_contact(agent2, queue=queue, talk=t) for t in (30, 700)]
    sz_contact = make_contact(sz_agent, queue=make_queue(sz, "Q-SZ"))
    return SimpleNamespace(
        province=province,
        gz=gz,
        sz=sz,
        team=team,
        agent=agent,
        agent2=agent2,
        sz_agent=sz_agent,
        inspector=inspector,
        supervisor=supervisor,
        queue=queue,
        form=form,
        contacts=contacts,
        sz_contact=sz_contact,
    )


def api_for(staff) -> JsonClient:
    return JsonClient(client_for(staff))
