"""Celery for sites that outgrow one machine.

The periodic jobs that ``kefu worker`` runs (every app's ``jobs.py``) are the
same functions Celery runs here: one task, ``kefu.run_job``, looks a job up by
name, and the beat schedule lists every job at its period. Timers stay rows
claimed with ``SKIP LOCKED``, so any number of Celery workers can run them.

    KEFU_CELERY_BROKER=redis://127.0.0.1:6379/1 celery -A kefu.celery worker --beat
    KEFU_CELERY_BROKER=amqp://guest:guest@127.0.0.1:5672// celery -A kefu.celery worker --beat
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")

app = Celery("kefu")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="kefu.run_job")
def run_job(name: str):
    """Run one periodic job by name in the worker's context; returns what the job returns."""
    from kefu.core import context
    from kefu.core.tasks import jobs

    by_name = {j.name: j for j in jobs()}
    job = by_name.get(name)
    if job is None:
        raise LookupError(f"no such job: {name}")
    with context.acting(context.RequestMeta(channel="worker")):
        return job.func()


@app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    import django

    django.setup()
    from kefu.core.tasks import jobs

    for job in jobs():
        sender.add_periodic_task(job.every.total_seconds(), run_job.s(job.name), name=job.name)
