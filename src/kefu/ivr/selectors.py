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
