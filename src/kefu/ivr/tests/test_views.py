"""The IVR editor pages through Django's test client (the browser journey is in tests/e2e)."""

import json

import pytest

from kefu.core.testing import client_for, make_staff
from kefu.ivr.models import Flow, IvrSession

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def editor(center):
    return client_for(make_staff(org=center.province, perms=["ivr.flow"]))


def test_pages_deny_without_permission(center):
    c = client_for(make_staff(org=center.province))
    pk = center.flow.pk
    for url in ["/ivr/", f"/ivr/flows/{pk}/", f"/ivr/flows/{pk}/versions/1/", f"/ivr/flows/{pk}/nodes/main/"]:
        assert c.get(url).status_code == 403, url
    for url in ["/ivr/new/", "/ivr/seed/", f"/ivr/flows/{pk}/publish/", f"/ivr/flows/{pk}/json/",
                f"/ivr/flows/{pk}/test/", f"/ivr/flows/{pk}/nodes/main/delete/", f"/ivr/flows/{pk}/reset/"]:
        assert c.post(url).status_code == 403, url


def test_a_viewer_sees_the_flow_but_cannot_edit_or_test_it(center):
    c = client_for(make_staff(org=center.province, perms=["ivr.flow.view"]))
    page = c.get(f"/ivr/flows/{center.flow.pk}/").content.decode()
    assert 'data-testid="node-main"' in page and 'data-testid="edit-node-main"' not in page
    assert 'data-testid="test-panel"' not in page and 'data-testid="draft-ok"' in page
    assert c.post(f"/ivr/flows/{center.flow.pk}/nodes/main/", {"id": "main"}).status_code == 403
    assert c.post(f"/ivr/flows/{center.flow.pk}/test/", {"caller": "13900000001"}).status_code == 403


def test_list_and_create_and_seed(center, editor):
    page = editor.get("/ivr/").content.decode()
    assert 'data-testid="flow-row-10086"' in page and 'data-testid="flow-seed"' not in page
    r = editor.post("/ivr/new/", {"hotline": "10010", "name": "新热线"})
    flow = Flow.objects.get(hotline="10010")
    assert r.status_code == 302 and r["Location"] == f"/ivr/flows/{flow.pk}/"
    r = editor.post("/ivr/new/", {"hotline": "10010", "name": "重复"}, follow=True)
    assert "已存在" in r.content.decode()


def test_edit_a_node_through_the_htmx_form(center, editor):
    pk = center.flow.pk
    form = editor.get(f"/ivr/flows/{pk}/nodes/welcome/", **HX).content.decode()
    assert 'data-testid="node-form"' in form and "欢迎致电中国移动10086" in form
    r = editor.post(f"/ivr/flows/{pk}/nodes/welcome/", {"id": "welcome", "f_text": "新的欢迎语", "f_next": "main"}, **HX)
    assert r.status_code == 204 and r["HX-Redirect"].endswith(f"/ivr/flows/{pk}/#node-welcome")
    center.flow.refresh_from_db()
    assert center.flow.draft["nodes"][0]["text"] == "新的欢迎语"
    assert center.flow.current_version().definition["nodes"][0]["text"] != "新的欢迎语"
    page = editor.get(f"/ivr/flows/{pk}/").content.decode()
    assert 'data-testid="draft-differs"' in page


def test_a_menu_form_keeps_keys_and_reports_problems_in_place(center, editor):
    pk = center.flow.pk
    r = editor.post(f"/ivr/flows/{pk}/nodes/more/", {
        "id": "more", "f_prompt": "请按键", "key_star": "main", "key_0": "agent", "key_hash": "bye",
        "f_timeout": "abc", "f_max_retries": "2", "f_on_fail": "bye"}, **HX)
    page = r.content.decode()
    assert r.status_code == 400 and 'data-testid="node-problems"' in page and "超时（秒）" in page
    r = editor.post(f"/ivr/flows/{pk}/nodes/more/", {
        "id": "more", "f_prompt": "请按键", "key_star": "main", "key_0": "agent", "key_hash": "bye",
        "key_1": "q_points", "f_timeout": "9", "f_max_retries": "2", "f_on_fail": "bye"}, **HX)
    assert r.status_code == 204
    center.flow.refresh_from_db()
    more = next(n for n in center.flow.draft["nodes"] if n["id"] == "more")
    assert more["choices"] == {"1": "q_points", "0": "agent", "*": "main", "#": "bye"} and more["timeout"] == 9


def test_add_and_delete_nodes_and_see_the_draft_check(center, editor):
    pk = center.flow.pk
    form = editor.get(f"/ivr/flows/{pk}/nodes/new/?type=hangup", **HX).content.decode()
    assert 'value="hangup_1"' in form
    r = editor.post(f"/ivr/flows/{pk}/nodes/new/", {"type": "hangup", "id": "bye2", "f_text": "再会"}, **HX)
    assert r.status_code == 204
    page = editor.get(f"/ivr/flows/{pk}/").content.decode()
    assert 'data-testid="draft-errors"' in page and "从起始节点无法到达节点“bye2”" in page
    r = editor.post(f"/ivr/flows/{pk}/nodes/new/", {"type": "hangup", "id": "bye2"}, **HX)
    assert r.status_code == 400 and "重复" in r.content.decode()
    r = editor.post(f"/ivr/flows/{pk}/nodes/bye2/delete/")
    assert r.status_code == 302
    assert 'data-testid="draft-ok"' in editor.get(f"/ivr/flows/{pk}/").content.decode()


def test_json_editor_and_publish(center, editor):
    pk = center.flow.pk
    r = editor.post(f"/ivr/flows/{pk}/json/", {"definition": "{oops"})
    assert r.status_code == 400 and 'data-testid="json-problems"' in r.content.decode()
    draft = dict(center.flow.draft)
    draft["nodes"] = [n for n in draft["nodes"] if n["id"] != "bye"]
    assert editor.post(f"/ivr/flows/{pk}/json/", {"definition": json.dumps(draft)}).status_code == 302
    r = editor.post(f"/ivr/flows/{pk}/publish/", {"note": "x"})
    page = r.content.decode()
    assert r.status_code == 400 and 'data-testid="publish-problems"' in page and "“bye”不存在" in page
    assert editor.post(f"/ivr/flows/{pk}/reset/").status_code == 302
    r = editor.post(f"/ivr/flows/{pk}/publish/", {"note": "无改动也发布"}, follow=True)
    assert "版本 2 已发布" in r.content.decode()
    assert "无改动也发布" in editor.get(f"/ivr/flows/{pk}/versions/2/").content.decode()


def test_set_the_start_node_and_settings(center, editor):
    pk = center.flow.pk
    editor.post(f"/ivr/flows/{pk}/start/", {"start": "main"})
    center.flow.refresh_from_db()
    assert center.flow.draft["start"] == "main"
    editor.post(f"/ivr/flows/{pk}/settings/", {"name": "改名", "description": "d"})
    center.flow.refresh_from_db()
    assert center.flow.name == "改名" and center.flow.active is False


def test_a_test_call_in_the_panel(center, editor):
    pk = center.flow.pk
    r = editor.post(f"/ivr/flows/{pk}/test/", {"caller": "13900000001"}, **HX)
    page = r.content.decode()
    assert r.status_code == 200 and 'data-testid="transcript"' in page and "查询本月话费请按1" in page
    assert 'data-max-digits="1"' in page
    session = IvrSession.objects.get(is_test=True)
    page = editor.post(f"/ivr/test/{session.pk}/input/", {"digits": "2"}, **HX).content.decode()
    assert "请输入您的6位服务密码" in page and 'data-max-digits="6"' in page and 'hx-swap-oob="true"' in page
    page = editor.post(f"/ivr/test/{session.pk}/timeout/", **HX).content.decode()
    assert "没有收到您的按键" in page
    page = editor.post(f"/ivr/test/{session.pk}/end/", **HX).content.decode()
    assert 'data-testid="test-finished"' in page and "您已挂机" in page
    r = editor.post(f"/ivr/flows/{pk}/test/", {"caller": ""}, **HX)
    assert r.status_code == 400 and 'data-testid="testcall-error"' in r.content.decode()


def test_the_default_flow_can_be_created_from_an_empty_list(province):
    c = client_for(make_staff(org=province, perms=["ivr.flow"]))
    page = c.get("/ivr/").content.decode()
    assert 'data-testid="flow-seed"' in page and "尚无语音导航流程" in page
    r = c.post("/ivr/seed/")
    flow = Flow.objects.get(hotline="10086")
    assert r.status_code == 302 and r["Location"] == f"/ivr/flows/{flow.pk}/"
    page = c.get(r["Location"]).content.decode()
    assert 'data-testid="draft-warnings"' in page and "队列“GEN”（尚）不存在" in page
