"""The parameter page and its inline htmx edits."""

import pytest

from kefu.core.testing import client_for
from kefu.params.selectors import param_raw, param_state

VIP = "sla.reply.vip"
HTMX = {"HTTP_HX_REQUEST": "true"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.parametrize(("method", "url", "perm"), [
    ("get", "/params/", "params.param.view"),
    ("post", f"/params/{VIP}/", "params.param.edit"),
    ("post", f"/params/{VIP}/reset/", "params.param.edit"),
])
def test_every_page_needs_login_and_its_permission(client, nobody, staff_factory, method, url, perm):
    r = getattr(client, method)(url, {"value": "6h"} if method == "post" else None)
    assert r.status_code == 302 and "/iam/login/" in r["Location"]
    r = getattr(client_for(nobody), method)(url, {"value": "6h"} if method == "post" else None)
    assert r.status_code == 403
    assert param_raw(VIP) == 28800
    r = getattr(client_for(staff_factory(perm)), method)(url, {"value": "6h"} if method == "post" else None)
    assert r.status_code in (200, 302)


def test_page_groups_parameters_and_shows_durations_friendly(admin):
    html = client_for(admin).get("/params/", **EN).content.decode()
    assert 'data-testid="param-group-sla"' in html and 'data-testid="param-group-security"' in html
    assert "Deadlines and warnings" in html
    assert 'value="8h"' in html and "28800" not in html
    assert "1m – 30d" in html
    assert "Never changed" in html


def test_viewers_see_values_without_edit_forms(staff_factory):
    html = client_for(staff_factory("params.param.view")).get("/params/").content.decode()
    assert 'data-testid="param-form"' not in html and 'data-testid="param-value"' in html


def test_htmx_save_returns_the_row_with_the_new_value_and_who_changed_it(admin):
    r = client_for(admin).post(f"/params/{VIP}/", {"value": "6h", "version": "0"}, **HTMX, **EN)
    assert r.status_code == 200
    html = r.content.decode()
    assert html.strip().startswith("<tr") and 'value="6h"' in html
    assert 'data-testid="param-saved"' in html and "6h" in html
    assert "管理员 · admin" in html
    assert 'data-testid="param-reset"' in html
    assert param_raw(VIP) == 21600


def test_htmx_invalid_value_returns_the_row_with_the_reason_and_400(admin):
    r = client_for(admin).post(f"/params/{VIP}/", {"value": "abc", "version": "0"}, **HTMX, **EN)
    assert r.status_code == 400
    html = r.content.decode()
    assert 'data-testid="param-error"' in html and "is not a duration" in html
    assert 'value="abc"' in html  # what was typed stays in the box to correct it
    assert param_raw(VIP) == 28800


def test_htmx_stale_version_is_409_with_a_message(admin):
    c = client_for(admin)
    c.post(f"/params/{VIP}/", {"value": "6h", "version": "0"}, **HTMX)
    r = c.post(f"/params/{VIP}/", {"value": "7h", "version": "0"}, **HTMX, **EN)
    assert r.status_code == 409 and "Someone else changed" in r.content.decode()
    assert param_raw(VIP) == 21600


def test_htmx_reset(admin):
    c = client_for(admin)
    c.post(f"/params/{VIP}/", {"value": "6h"}, **HTMX)
    r = c.post(f"/params/{VIP}/reset/", {"version": "1"}, **HTMX, **EN)
    assert r.status_code == 200 and "back to its default" in r.content.decode()
    assert 'data-testid="param-reset"' not in r.content.decode()
    assert param_state(VIP).is_default


def test_plain_posts_redirect_back_with_a_message(admin):
    c = client_for(admin)
    r = c.post(f"/params/{VIP}/", {"value": "abc"}, follow=True, **EN)
    assert "is not a duration" in r.content.decode()
    r = c.post(f"/params/{VIP}/", {"value": "6h"})
    assert r.status_code == 302 and r["Location"].endswith(f"/params/#param-{VIP}")


def test_boolean_checkbox_ticked_and_unticked(admin, monkeypatch):
    from kefu.params import registry

    flag = registry.Param("test.flag", registry.BOOLEAN, False, "Flag", group="general")
    monkeypatch.setitem(registry._params, "test.flag", flag)
    c = client_for(admin)
    c.post("/params/test.flag/", {"value": ["0", "1"]}, **HTMX)
    assert param_raw("test.flag") is True
    c.post("/params/test.flag/", {"value": ["0"]}, **HTMX)
    assert param_raw("test.flag") is False
    assert 'type="checkbox"' in c.get("/params/").content.decode()


def test_choice_parameter_is_a_select(admin, monkeypatch):
    from kefu.params import registry

    mode = registry.Param("test.mode", registry.CHOICE, "a", "Mode", group="general",
                          choices=(("a", "Alpha"), ("b", "Beta")))
    monkeypatch.setitem(registry._params, "test.mode", mode)
    c = client_for(admin)
    assert '<option value="a" selected>Alpha</option>' in c.get("/params/").content.decode()
    assert c.post("/params/test.mode/", {"value": "z"}, **HTMX).status_code == 400
    assert c.post("/params/test.mode/", {"value": "b"}, **HTMX).status_code == 200
    assert param_raw("test.mode") == "b"


def test_missing_value_and_unknown_key(admin):
    c = client_for(admin)
    assert c.post(f"/params/{VIP}/", {}, **HTMX).status_code == 400
    assert c.post("/params/no.such/", {"value": "1"}).status_code == 404


def test_the_audit_page_shows_the_change_as_8h_to_6h(admin):
    c = client_for(admin)
    c.post(f"/params/{VIP}/", {"value": "6h"}, **HTMX)
    html = c.get("/audit/", {"object_type": "params.parameter"}, **EN).content.decode()
    assert '<span class="before">8h</span><span class="arrow">→</span><span class="after">6h</span>' in html
    assert "System parameter" in html
