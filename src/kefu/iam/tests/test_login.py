from kefu.audit.models import AuditEntry
from kefu.core import clock
from kefu.core.testing import TEST_PASSWORD
from kefu.params.services import param_set


def _login(client, password):
    return client.post("/iam/login/", {"employee_no": "admin", "password": password})


def test_wrong_password_is_refused_and_audited(admin, client):
    r = _login(client, "wrong-password1")
    assert r.status_code == 400
    assert AuditEntry.objects.filter(action="login_failed", object_id=str(admin.pk)).count() == 1


def test_lockout_after_repeated_failures_then_unlocks_after_the_period(admin, client):
    param_set(actor=admin, key="iam.login.max_failures", raw="3")
    for _ in range(3):
        _login(client, "wrong-password1")
    r = _login(client, TEST_PASSWORD)
    assert r.status_code == 400
    assert "locked" in r.content.decode().lower() or "锁定" in r.content.decode()
    clock.advance(param_get_lockout() + __import__("datetime").timedelta(seconds=1))
    assert _login(client, TEST_PASSWORD).status_code == 302


def param_get_lockout():
    from kefu.params.selectors import param_get

    return param_get("iam.login.lockout")


def test_success_resets_the_failure_count(admin, client):
    _login(client, "wrong-password1")
    assert _login(client, TEST_PASSWORD).status_code == 302
    admin.refresh_from_db()
    assert admin.failed_logins == 0


def test_left_staff_cannot_log_in(admin, client):
    from kefu.core.testing import make_staff
    from kefu.iam.services.staff import staff_update

    make_staff(org=admin.org, is_super=True)  # the last super administrator could not leave
    staff_update(actor=admin, staff=admin, status="left")
    assert _login(client, TEST_PASSWORD).status_code == 400
