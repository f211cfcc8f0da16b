"""Content-Security-Policy without inline scripts, no-store on customer data and API answers, HSTS with secure
cookies, and the session idle timeout beside the absolute session age."""

import re
from pathlib import Path

import pytest
from django.test import override_settings

from kefu.core import security
from kefu.core.testing import JsonClient, client_for, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.params.services import param_set

SRC = Path(security.__file__).resolve().parents[1]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
EVAL = re.compile(r"\beval\s*\(|new\s+Function\s*\(|set(Timeout|Interval)\s*\(\s*[\"'`]")


def _templates():
    return list(SRC.glob("*/templates/**/*.html"))


def test_no_template_has_an_inline_script_or_handler():
    found = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(SRC)}: {m.group(0)}" for m in INLINE_SCRIPT.finditer(text)]
        found += [f"{path.relative_to(SRC)}: {m.group(0)}" for m in INLINE_HANDLER.finditer(text)]
        found += [f"{path.relative_to(SRC)}: hx-on" for _m in re.finditer(r"\bhx-on", text)]
    assert not found, found


def test_no_script_of_kefu_evaluates_strings():
    scripts = [p for p in SRC.glob("*/static/**/*.js") if "vendor" not in p.parts]
    assert scripts
    found = [f"{p.relative_to(SRC)}: {m.group(0)}" for p in scripts for m in EVAL.finditer(p.read_text("utf-8"))]
    assert not found, found


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else "" for d in header.split("; ")}


@pytest.mark.django_db
def test_pages_and_api_answers_carry_a_policy_without_inline_scripts(client, admin):
    for r in (client.get("/iam/login/"), client_for(admin).get("/"), JsonClient().get("/api/iam/me")):
        csp = _csp(r)
        assert csp["script-src"] == "'self'" and "unsafe" not in csp["script-src"]
        assert csp["default-src"] == "'self'" and csp["frame-ancestors"] == "'none'"
        assert csp["object-src"] == "'none'"


@pytest.mark.django_db
def test_the_api_docs_need_no_inline_script(admin):
    r = client_for(admin).get("/api/docs")
    html = r.content.decode()
    assert r.status_code == 200 and "cdn.jsdelivr" not in html and not INLINE_SCRIPT.search(html)


@pytest.mark.django_db
def test_customer_pages_and_api_answers_are_not_stored(admin, province):
    customer = make_customer(org=province)
    c = client_for(admin)
    for r in (c.get(f"/crm/customers/{customer.pk}/"), c.get("/crm/"),
              c.get(f"/workorders/customers/{customer.pk}/"),
              JsonClient(c).get(f"/api/crm/customers/{customer.pk}"), JsonClient().get("/api/crm/customers"),
              JsonClient(c).get("/api/crm/customers/999999")):
        assert "no-store" in r["Cache-Control"], r


@pytest.mark.django_db
def test_hsts_only_with_secure_cookies(client):
    assert "Strict-Transport-Security" not in client.get("/iam/login/")
    with override_settings(SESSION_COOKIE_SECURE=True, SECURE_HSTS_SECONDS=31536000):
        assert client.get("/iam/login/")["Strict-Transport-Security"] == "max-age=31536000"


@pytest.fixture
def wall(monkeypatch):
    """Real time as the idle timeout reads it, moved by hand."""
    now = {"t": 1_800_000_000.0}
    monkeypatch.setattr(security, "wall_time", lambda: now["t"])

    def advance(minutes):
        now["t"] += minutes * 60

    return advance


@pytest.mark.django_db
def test_an_idle_session_ends_after_the_parameter(province, wall):
    person = make_staff(org=province, perms=["iam.team.view"])
    c = client_for(person)
    api = JsonClient(c)
    assert api.get("/api/iam/me").status_code == 200
    wall(20)
    assert api.get("/api/iam/me").status_code == 200  # activity: the idle clock starts again
    wall(29)
    assert c.get("/iam/teams/").status_code == 200
    wall(31)
    r = c.get("/iam/teams/")
    assert r.status_code == 302 and "/iam/login/" in r["Location"]
    assert api.get("/api/iam/me").status_code == 401


@pytest.mark.django_db
def test_background_polling_does_not_keep_a_session_alive(province, wall):
    person = make_staff(org=province, perms=["iam.team.view"])
    c = client_for(person)
    assert c.get("/iam/teams/").status_code == 200
    for minutes in (10, 10, 9):
        wall(minutes)
        assert c.get("/worker-status/", HTTP_X_KEFU_BACKGROUND="1").status_code == 200
    wall(2)
    assert c.get("/iam/teams/").status_code == 302
    assert c.get("/worker-status/", HTTP_X_KEFU_BACKGROUND="1").status_code == 302


@pytest.mark.django_db
def test_the_idle_timeout_is_a_parameter(admin, province, wall):
    param_set(actor=admin, key="iam.session.idle_timeout", raw="2h")
    c = client_for(make_staff(org=province, perms=["iam.team.view"]))
    assert c.get("/iam/teams/").status_code == 200
    wall(100)
    assert c.get("/iam/teams/").status_code == 200
    wall(121)
    assert c.get("/iam/teams/").status_code == 302


def test_the_idle_check_skips_its_parameter_only_below_the_parameters_smallest_value():
    from kefu.core.security import MIN_IDLE_TIMEOUT
    from kefu.params.selectors import param_definition

    assert param_definition("iam.session.idle_timeout").min_value == MIN_IDLE_TIMEOUT
