"""Picking, scoring, versions, disputes, decisions and improvement actions through the services."""

from datetime import timedelta

import pytest

from kefu.audit.models import AuditEntry
from kefu.core import clock
from kefu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from kefu.core.testing import make_staff
from kefu.quality.models import InspectionState
from kefu.quality.services.disputes import dispute_decide, inspection_dispute
from kefu.quality.services.forms import form_publish
from kefu.quality.services.improvements import improvement_create, improvement_done
from kefu.quality.services.inspections import (
    SampleRule,
    ScoreSheet,
    inspection_create,
    inspection_score,
    inspections_pick,
)
from kefu.workorders.services.orders import workorder_create

from .factories import GOOD, make_contact


def _period():
    now = clock.now()
    return now - timedelta(days=1), now + timedelta(minutes=1)


def _rule(source, **kw):
    since, until = _period()
    return SampleRule(source=source, since=since, until=until, **kw)


def _scored(qa, points=None, hits=()):
    i = inspection_create(actor=qa.inspector, contact_id=qa.contacts[0].pk)
    return inspection_score(
        actor=qa.inspector,
        inspection_id=i.pk,
        sheet=ScoreSheet(points=points or GOOD, fatal_hits=list(hits), comment="好"),
    )


def test_a_random_sample_takes_n_per_agent_in_scope_and_the_same_seed_picks_the_same(qa):
    out = inspections_pick(actor=qa.inspector, rule=_rule("random", per_agent=2, seed=7))
    picked = sorted(i.contact_id for i in out.created)
    assert len(picked) == 4 and out.seed == 7  # two of each Guangzhou agent, none of Shenzhen
    assert qa.sz_contact.pk not in picked
    for i in out.created:
        i.delete()
    again = inspections_pick(actor=qa.inspector, rule=_rule("random", per_agent=2, seed=7))
    assert sorted(i.contact_id for i in again.created) == picked
    third = inspections_pick(actor=qa.inspector, rule=_rule("random", per_agent=2, seed=7))
    assert [i.agent_id for i in third.created] == [qa.agent.pk]  # the one of 李话务's three calls left
    assert third.already == 4


def test_long_calls_and_complaints_are_picked_in_full(qa):
    out = inspections_pick(actor=qa.inspector, rule=_rule("long_call", min_talk_seconds=600))
    assert sorted(i.contact_id for i in out.created) == sorted([qa.contacts[2].pk, qa.contacts[4].pk])
    assert {i.source for i in out.created} == {"long_call"}
    workorder_create(
        actor=qa.agent,
        kind="complaint",
        title="投诉",
        description="多扣费",
        fields={
            "complainant_type": "ordinary",
            "category": "tariff",
            "level": "general",
            "source": "customer",
        },
        origin_contact=str(qa.contacts[1].pk),
    )
    out = inspections_pick(actor=qa.inspector, rule=_rule("complaint"))
    assert [i.contact_id for i in out.created] == [qa.contacts[1].pk]


def test_a_contact_still_on_the_line_or_of_another_branch_cannot_be_picked(qa):
    live = make_contact(qa.agent, queue=qa.queue, ended=False)
    with pytest.raises(ValidationFailed):
        inspection_create(actor=qa.inspector, contact_id=live.pk)
    with pytest.raises(NotFound):
        inspection_create(actor=qa.inspector, contact_id=qa.sz_contact.pk)
    inspection_create(actor=qa.inspector, contact_id=qa.contacts[0].pk)
    with pytest.raises(Conflict):
        inspection_create(actor=qa.inspector, contact_id=qa.contacts[0].pk)


def test_scoring_is_audited_and_a_fatal_error_zeroes_it(qa):
    i = _scored(qa, points={"greeting": 5, "solution": 10}, hits=["rude"])
    assert (float(i.score), i.fatal, i.state) == (0.0, True, InspectionState.SCORED)
    entry = AuditEntry.objects.filter(object_type="quality.inspection", object_id=str(i.pk)).latest("id")
    assert entry.changes["score"] == [None, "0.0"] and entry.changes["fatal_hits"] == [None, ["rude"]]


def test_an_inspection_keeps_the_form_version_it_was_scored_with(qa):
    i = _scored(qa)
    new_items = [{"key": "greeting", "label": "问候", "max_points": 5, "weight": 1}]
    with pytest.raises(NotFound):  # a form handed down from the province is changed there, not in a branch
        form_publish(actor=qa.inspector, form_id=qa.form.pk, items=new_items)
    editor = make_staff(org=qa.province, perms=["quality.form.edit"])
    version = form_publish(actor=editor, form_id=qa.form.pk, items=new_items)
    assert version.number == 2
    i.refresh_from_db()
    assert i.form_version.number == 1 and len(i.form_version.items) == 3
    later = inspection_create(actor=qa.inspector, contact_id=qa.contacts[1].pk)
    assert later.form_version.number == 2


def test_nobody_scores_their_own_contact(qa):
    own = make_contact(qa.inspector, queue=qa.queue)
    with pytest.raises(PermissionDenied):
        inspection_create(actor=qa.inspector, contact_id=own.pk)


def test_an_agent_disputes_once_and_the_supervisor_revises(qa):
    i = _scored(qa, points={"greeting": 5, "solution": 10})
    with pytest.raises(NotFound):
        inspection_dispute(actor=qa.agent2, inspection_id=i.pk, reason="不是我")
    with pytest.raises(ValidationFailed):
        inspection_dispute(actor=qa.agent, inspection_id=i.pk, reason=" ")
    inspection_dispute(actor=qa.agent, inspection_id=i.pk, reason="客户先挂断")
    with pytest.raises(Conflict):
        inspection_score(actor=qa.inspector, inspection_id=i.pk, sheet=ScoreSheet(points=GOOD))
    with pytest.raises(ValidationFailed):
        dispute_decide(actor=qa.supervisor, inspection_id=i.pk, decision="revised", note="核实", score=101)
    done = dispute_decide(
        actor=qa.supervisor, inspection_id=i.pk, decision="revised", note="核实录音", score=80
    )
    assert (float(done.score), float(done.original_score), done.state) == (
        80.0,
        50.0,
        InspectionState.DECIDED,
    )
    with pytest.raises(Conflict):
        inspection_dispute(actor=qa.agent, inspection_id=i.pk, reason="再申诉")
    notes = list(
        AuditEntry.objects.filter(object_type="quality.inspection", object_id=str(i.pk)).values_list(
            "note", flat=True
        )
    )
    assert "dispute" in notes and "dispute decided" in notes


def test_an_upheld_score_stands(qa):
    i = _scored(qa)
    inspection_dispute(actor=qa.agent, inspection_id=i.pk, reason="偏低")
    done = dispute_decide(actor=qa.supervisor, inspection_id=i.pk, decision="upheld")
    assert float(done.score) == 100.0 and done.original_score is None


def test_an_improvement_action_is_tracked_to_done_by_its_agent_only(qa):
    i = _scored(qa)
    due = clock.now().date() + timedelta(days=7)
    action = improvement_create(actor=qa.inspector, inspection_id=i.pk, title="复习问候语", due_on=due)
    assert action.agent_id == qa.agent.pk
    with pytest.raises(ValidationFailed):
        improvement_create(actor=qa.inspector, inspection_id=i.pk, title="x", due_on=due - timedelta(days=30))
    with pytest.raises(NotFound):
        improvement_done(actor=qa.agent2, improvement_id=action.pk, own=True)
    improvement_done(actor=qa.agent, improvement_id=action.pk, note="已学习", own=True)
    with pytest.raises(Conflict):
        improvement_done(actor=qa.inspector, improvement_id=action.pk)
