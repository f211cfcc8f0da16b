"""Deleting what other rows still use answers 409 ``in_use``, never a 500."""

from kefu.contactcenter.services.queues import QueueData, queue_create
from kefu.iam.models import SkillGroup
from kefu.iam.services.skills import skill_group_create


def test_a_skill_group_a_queue_routes_by_cannot_be_deleted(admin, admin_api, province):
    group = skill_group_create(actor=admin, code="vip", name="大客户服务")
    queue_create(actor=admin, data=QueueData(code="Q1", name="VIP 队列", org=province, skills=[("vip", 1)]))

    response = admin_api.delete(f"/api/iam/skill-groups/{group.pk}")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "in_use"
    assert body["details"]["used_by"]
    assert SkillGroup.objects.filter(pk=group.pk).exists()


def test_an_unused_skill_group_is_deleted(admin, admin_api):
    group = skill_group_create(actor=admin, code="spare", name="备用")

    assert admin_api.delete(f"/api/iam/skill-groups/{group.pk}").status_code == 200
    assert not SkillGroup.objects.filter(pk=group.pk).exists()


def test_the_delete_operations_document_the_conflict():
    from kefu.api import api

    paths = api.get_openapi_schema()["paths"]
    assert 409 in paths["/api/iam/skill-groups/{group_id}"]["delete"]["responses"]
    assert 409 in paths["/api/iam/teams/{team_id}"]["delete"]["responses"]
