import os

from django.http import JsonResponse
from django.shortcuts import render

from . import clock
from .access import login_only
from .models import WorkerHeartbeat


@login_only
def home(request):
    """Landing page: who I am, what I may open, and whether the worker lives."""
    beats = list(WorkerHeartbeat.objects.all()[:5])
    now = clock.now()
    for b in beats:
        b.alive = (now - b.beat_at).total_seconds() < 60
    return render(request, "core/home.html", {"heartbeats": beats})


@login_only
def worker_status(request):
    """htmx partial polled by the footer: is a worker alive?"""
    beat = WorkerHeartbeat.objects.order_by("-beat_at").first()
    alive = beat is not None and (clock.now() - beat.beat_at).total_seconds() < 60
    return render(request, "core/partials/_worker_status.html", {"beat": beat, "alive": alive})


@login_only
def changelog(request):
    """What changed in each version (CHANGELOG.md), linked from the version in the footer."""
    import kefu

    from .changelog import changelog as read

    return render(request, "core/changelog.html", {"versions": read(), "current": kefu.__version__})


def healthz(request):
    # The process id tells a load balancer (and the tests of `kefu serve --workers N`) which process answered.
    return JsonResponse({"status": "ok", "pid": os.getpid()})
