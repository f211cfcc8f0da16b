from datetime import timedelta

from kefu.core import clock
from kefu.core.models import WorkerHeartbeat
from kefu.core.tasks import jobs
from kefu.core.testing import make_staff
from kefu.core.worker import Worker
from kefu.iam.models import TemporaryPermission
from kefu.iam.services.temporary import temporary_permission_grant


def test_worker_reports_a_heartbeat_shown_in_the_footer(admin, client):
    Worker(name="w1").run_once()
    beat = WorkerHeartbeat.objects.get(name="w1")
    assert beat.jobs_run >= 1
    client.force_login(admin)
    r = client.get("/worker-status/")
    assert "data-testid=\"worker-status\"" in r.content.decode()
    assert "后台进程运行中" in r.content.decode()


def test_footer_says_when_no_worker_runs(admin, client):
    client.force_login(admin)
    assert "没有运行中的后台进程" in client.get("/worker-status/").content.decode()


def test_worker_expires_ended_temporary_permissions(province, admin):
    person = make_staff(org=province)
    now = clock.now()
    clock.freeze(now)
    tp = temporary_permission_grant(actor=admin, reason="r", codes=["audit.log.view"], holders=[person],
                                    starts_at=now, ends_at=now + timedelta(minutes=5))
    Worker(name="w").run_once()
    assert TemporaryPermission.objects.get(pk=tp.pk).expired_at is None
    clock.advance(timedelta(minutes=6))
    Worker(name="w").run_once()
    assert TemporaryPermission.objects.get(pk=tp.pk).expired_at is not None


def test_a_failing_job_does_not_stop_the_others(db, monkeypatch):
    from kefu.core import tasks

    ran = []

    def boom():
        raise RuntimeError("boom")

    jobs()  # load the apps' jobs first
    monkeypatch.setitem(tasks._jobs, "zz.boom", tasks.PeriodicJob("zz.boom", timedelta(seconds=1), boom))
    monkeypatch.setitem(tasks._jobs, "zz.ok", tasks.PeriodicJob("zz.ok", timedelta(seconds=1), lambda: ran.append(1)))
    Worker(name="w").run_once()
    assert ran == [1]
    assert "boom" in WorkerHeartbeat.objects.get(name="w").last_error
