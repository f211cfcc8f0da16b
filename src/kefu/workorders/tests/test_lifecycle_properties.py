"""Whatever handlers try, in whatever order, a work order stays consistent.

Hypothesis drives random sequences of (who, action) against a complaint; every
attempt either succeeds through the template or is refused with a KefuError,
and the order's invariants hold after each step.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kefu.core.errors import KefuError
from kefu.workorders.models import State, WorkOrder, WorkOrderStep
from kefu.workorders.services.actions import ActionInput, workorder_act
from kefu.workorders.services.templates import compiled

from .conftest import complaint

ACTIONS = ["accept", "dispatch", "process", "return", "review", "reply", "close", "urge", "withdraw", "escalate"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.integers(0, 3), st.sampled_from(ACTIONS)), min_size=1, max_size=15))
def test_random_handling_keeps_the_order_consistent(center, steps):
    actors = [center.agent, center.backoffice, center.gz_handler, center.sz_handler]
    order = complaint(center)
    succeeded = 0
    for who, action in steps:
        order.refresh_from_db()
        before = order.version
        data = ActionInput(action=action, version=order.version, text="意见", to_org=center.gz, satisfaction=4,
                           late_reason="测试")
        try:
            workorder_act(actor=actors[who], order_id=order.pk, data=data)
        except KefuError:
            assert WorkOrder.objects.get(pk=order.pk).version == before  # a refusal changes nothing
            continue
        succeeded += 1
        order.refresh_from_db()
        tpl = compiled(order.template_version)
        assert order.version == before + 1
        assert order.station in tpl.stations
        assert (order.state in (State.CLOSED, State.WITHDRAWN)) == tpl.is_final(order.station)
        assert order.holder_org_id is not None
        if tpl.is_final(order.station):
            assert not order.timers.filter(state="pending").exists()
    assert WorkOrderStep.objects.filter(order=order).count() == succeeded + 1
    seqs = list(WorkOrderStep.objects.filter(order=order).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
