"""How the editor shows a flow: one row per node with what it says and where it leads.

Works on any draft, valid or not (the editor must show a broken draft so it
can be fixed): unknown types and dangling transitions are shown, flagged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import flow as flowdef

EDGE_LABELS = {"next": "→", "on_fail": "✗"}


@dataclass
class Edge:
    why: str
    target: str
    exists: bool


@dataclass
class NodeRow:
    id: str
    name: str
    type: str
    type_label: str
    summary: str
    is_start: bool
    edges: list[Edge] = field(default_factory=list)


def _summary(node: flowdef.Node) -> str:
    t = node.type
    if t == "play":
        return str(node.data.get("text") or "")
    if t in ("menu", "collect", "offer_send", "notices"):
        text = str(node.data.get("prompt") or "")
        if t == "collect" and node.data.get("variable"):
            text += " ⇒ " + str(node.data["variable"])
        return text
    if t == "verify_password":
        return _("Password of: %(subject)s") % {"subject": node.data.get("subject") or "caller"}
    if t == "query":
        query = str(flowdef.QUERY_LABELS.get(node.data.get("query"), node.data.get("query") or ""))
        subject = node.data.get("subject") or "caller"
        text = f"{query} · {flowdef.SUBJECT_LABELS.get(subject, subject)}"
        if node.data.get("require_password"):
            text += " · " + _("password")
        if node.data.get("query") == "workorder":
            text += " · " + str(flowdef.BY_LABELS.get(node.data.get("by") or "latest", ""))
        return text
    if t == "transfer":
        text = _("Queue %(queue)s") % {"queue": node.data.get("queue") or "?"}
        if node.data.get("vip_queue"):
            text += " · " + _("VIP: %(queue)s") % {"queue": node.data["vip_queue"]}
        if node.data.get("priority_boost"):
            text += " · " + _("priority +%(n)s") % {"n": node.data["priority_boost"]}
        return text
    if t == "hangup":
        return str(node.data.get("text") or "")
    if t == "survey":
        return _("Survey %(script)s") % {"script": node.data.get("script") or "?"}
    return ""


def rows(definition) -> list[NodeRow]:
    if not isinstance(definition, dict) or not isinstance(definition.get("nodes"), list):
        return []
    raw_nodes = [n for n in definition["nodes"] if isinstance(n, dict)]
    ids = {str(n.get("id")) for n in raw_nodes}
    out = []
    for raw in raw_nodes:
        node = flowdef.Node(id=str(raw.get("id") or "?"), type=str(raw.get("type") or "?"), data=raw)
        edges = [Edge(why=EDGE_LABELS.get(why, why), target=target, exists=target in ids)
                 for why, target in node.edges()]
        out.append(NodeRow(id=node.id, name=node.label, type=node.type,
                           type_label=str(flowdef.TYPE_LABELS.get(node.type, node.type)), summary=_summary(node),
                           is_start=node.id == definition.get("start"), edges=edges))
    return out


def describe(commands: list[dict]) -> list[dict]:
    """Commands as the test panel shows them: what the caller hears, then what the call waits for."""
    out = []
    for c in commands:
        if c["type"] == "play":
            out.append({"kind": "play", "text": c["text"]})
        elif c["type"] == "collect":
            if c["max_digits"] == 1:
                text = _("Waiting for a key (%(s)s s)") % {"s": c["timeout"]}
            elif c["terminator"]:
                text = _("Waiting for up to %(n)s digits ending with %(t)s (%(s)s s)") % {
                    "n": c["max_digits"], "t": c["terminator"], "s": c["timeout"]}
            else:
                text = _("Waiting for %(n)s digits (%(s)s s)") % {"n": c["max_digits"], "s": c["timeout"]}
            out.append({"kind": "collect", "text": text})
        elif c["type"] == "queue":
            out.append({"kind": "queue", "text": _("Transferred to queue %(queue)s (priority %(p)s)")
                        % {"queue": c["queue"], "p": c.get("priority")}})
        elif c["type"] == "hangup":
            out.append({"kind": "hangup", "text": _("The IVR hangs up.")})
    return out
