"""The multi-machine paths against a real Redis: the Channels layer and Celery.

Run when KEFU_TEST_REDIS_URL is set (CI always sets it; `scripts/test` does in CI).
"""

import os
from datetime import timedelta

import pytest

REDIS = os.environ.get("KEFU_TEST_REDIS_URL", "")
pytestmark = pytest.mark.skipif(not REDIS, reason="set KEFU_TEST_REDIS_URL to test the Redis paths")


@pytest.mark.parametrize("backend", ["channels_redis.pubsub.RedisPubSubChannelLayer",
                                     "channels_redis.core.RedisChannelLayer"])
def test_channel_layer_round_trip_through_redis(backend):
    """Both Redis layers the settings offer (KEFU_CHANNEL_LAYER=pubsub, the default, or lists)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from django.utils.module_loading import import_string

    layer = import_string(backend)(hosts=[REDIS], prefix="kefu-test")

    async def go():
        channel = await layer.new_channel()
        await layer.group_add("supervisors", channel)
        await layer.group_send("supervisors", {"type": "kefu.event", "event": {"type": "agent.state", "state": "ready"}})
        msg = await layer.receive(channel)
        await layer.group_discard("supervisors", channel)
        await layer.flush()
        return msg

    # Run on a fresh loop in its own thread: browser tests in the same process keep a loop running here.
    with ThreadPoolExecutor(1) as pool:
        msg = pool.submit(asyncio.run, go()).result(timeout=30)
    assert msg["event"] == {"type": "agent.state", "state": "ready"}


def test_celery_worker_runs_a_periodic_job_through_redis(transactional_db):
    from celery.contrib.testing.worker import start_worker

    from kefu.celery import app, run_job
    from kefu.core import clock
    from kefu.core.testing import make_org, make_staff
    from kefu.iam.models import TemporaryPermission
    from kefu.iam.services.temporary import temporary_permission_grant

    org = make_org(code="GD", kind="province")
    person = make_staff(org=org)
    admin = make_staff(org=org, is_super=True)
    now = clock.now()
    tp = temporary_permission_grant(actor=admin, reason="celery", codes=["audit.log.view"], holders=[person],
                                    starts_at=now - timedelta(hours=2), ends_at=now + timedelta(seconds=1))
    TemporaryPermission.objects.filter(pk=tp.pk).update(ends_at=now - timedelta(minutes=1))
    app.conf.update(broker_url=REDIS, result_backend=REDIS, task_always_eager=False)
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        result = run_job.delay("kefu.iam.jobs.expire_temporary_permissions")
        assert result.get(timeout=30) == 1
    assert TemporaryPermission.objects.get(pk=tp.pk).expired_at is not None
