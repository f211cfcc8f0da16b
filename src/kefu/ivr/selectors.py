"""Reads of IVR flows and their published versions."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Flow, FlowVersion


def flow_find(*, flow_id) -> Flow | None:
    return Flow.objects.filter(pk=flow_id).first()


def flow_list(*, with_versions: bool = False) -> QuerySet[Flow]:
    """Flows by hotline number (with their versions prefetched for the list page)."""
    qs = Flow.objects.order_by("hotline")
    return qs.prefetch_related("versions") if with_versions else qs


def flow_exists(*, hotline: str) -> bool:
    return Flow.objects.filter(hotline=hotline).exists()


def flow_versions(flow: Flow) -> list[FlowVersion]:
    """A flow's published versions, newest first."""
    return list(flow.versions.select_related("created_by").order_by("-number"))


def flow_version_find(*, flow: Flow, number: int) -> FlowVersion | None:
    return FlowVersion.objects.select_related("created_by").filter(flow=flow, number=number).first()


def session_facts(*, since, until) -> list[tuple]:
    """Finished IVR sessions (not editor tests) started in [since, until):
    ``(started_at, channel, customer's org id, served by self-service)``. Self-service = the session ended
    without a transfer and the call never reached a queue."""
    from .models import IvrSession

    rows = (IvrSession.objects.filter(started_at__gte=since, started_at__lt=until, is_test=False,
                                      finished_at__isnull=False).order_by()
            .values_list("started_at", "contact__channel", "contact__customer__org_id", "outcome",
                         "contact__enqueued_at"))
    return [(at, channel, org, outcome != "transfer" and outcome != "error" and enqueued is None)
            for at, channel, org, outcome, enqueued in rows]
