"""IVR flows (语音导航) as pure data: node types, their fields, validation.

No ORM here. A flow definition is JSON stored on a flow version:

    {
      "start": "welcome",
      "nodes": [
        {"id": "welcome", "type": "play", "text": "您好，欢迎致电10086。", "next": "main"},
        {"id": "main", "type": "menu", "prompt": "查询话费请按1……", "choices": {"1": "bill", "0": "agent"},
         "timeout": 8, "max_retries": 3, "on_fail": "agent"},
        {"id": "bill", "type": "query", "query": "bill_current", "subject": "caller", "timeout": 10,
         "max_retries": 3, "next": "bye", "on_fail": "agent"},
        {"id": "agent", "type": "transfer", "queue": "GEN", "vip_queue": "VIP"},
        {"id": "bye", "type": "hangup", "text": "感谢您的来电，再见！"}
      ]
    }

``FIELDS`` describes every node type once; the validator, the node forms of
the editor and the runtime all read it, so a new field is added in one place.
A flow is valid when every field is well formed, every transition leads to an
existing node, every node is reachable from the start, every node has a path
to a transfer or a hang-up (no dead ends), and no loop runs without waiting
for the caller.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from kefu.core.lazytext import gettext as _
from kefu.core.lazytext import gettext_lazy

# --- vocabulary -------------------------------------------------------------------

TYPES = ("menu", "play", "collect", "verify_password", "query", "offer_send", "notices", "survey", "transfer",
         "hangup")
TERMINALS = ("transfer", "hangup")
QUERIES = ("bill_current", "bill_detail", "payments", "balance", "arrears", "points", "workorder")
KEYS = "0123456789*#"
TEXT_MAX = 500
NODE_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
VARIABLE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,31}$")

TYPE_LABELS = {
    "menu": gettext_lazy("Menu (keys)"),
    "play": gettext_lazy("Play a message"),
    "collect": gettext_lazy("Collect digits"),
    "verify_password": gettext_lazy("Verify the service password"),
    "query": gettext_lazy("Self-service query"),
    "offer_send": gettext_lazy("Offer to send by SMS or e-mail"),
    "notices": gettext_lazy("Choose notices (subscriptions)"),
    "survey": gettext_lazy("Satisfaction survey"),
    "transfer": gettext_lazy("Transfer to a queue"),
    "hangup": gettext_lazy("Hang up"),
}
QUERY_LABELS = {
    "bill_current": gettext_lazy("Current bill and fees"),
    "bill_detail": gettext_lazy("Detailed bill of a month"),
    "payments": gettext_lazy("Payment history"),
    "balance": gettext_lazy("Balance"),
    "arrears": gettext_lazy("Arrears"),
    "points": gettext_lazy("Points"),
    "workorder": gettext_lazy("Work-order progress"),
}
SUBJECT_LABELS = {
    "caller": gettext_lazy("The caller's own number"),
    "ask": gettext_lazy("A number the caller types in"),
}
BY_LABELS = {
    "latest": gettext_lazy("The caller's latest open order"),
    "serial": gettext_lazy("An order by its serial number"),
}
TERMINATOR_LABELS = {"#": "#", "*": "*", "": gettext_lazy("None (max digits)")}


@dataclass(frozen=True)
class Field:
    """One field of a node type: how the editor shows it and how it is checked."""

    name: str
    kind: str  # text, node, int, choice, bool, keys, code, variable, subject
    label: Any
    required: bool = True
    minimum: int = 0
    maximum: int = 0
    options: dict | None = None
    default: Any = None
    help: Any = ""


_TIMEOUT = Field("timeout", "int", gettext_lazy("Timeout (seconds)"), minimum=1, maximum=60, default=8,
                 help=gettext_lazy("How long to wait for the caller's keys."))
_RETRIES = Field("max_retries", "int", gettext_lazy("Maximum tries"), minimum=1, maximum=9, default=3,
                 help=gettext_lazy("After this many wrong or missing inputs the call goes to the on-fail node."))
_ON_FAIL = Field("on_fail", "node", gettext_lazy("On failure go to"))
_NEXT = Field("next", "node", gettext_lazy("Then go to"))

FIELDS: dict[str, tuple[Field, ...]] = {
    "menu": (
        Field("prompt", "text", gettext_lazy("Prompt")),
        Field("choices", "keys", gettext_lazy("Keys")),
        _TIMEOUT, _RETRIES, _ON_FAIL,
        Field("invalid_text", "text", gettext_lazy("Said after a wrong key"), required=False),
    ),
    "play": (Field("text", "text", gettext_lazy("Message")), _NEXT),
    "collect": (
        Field("prompt", "text", gettext_lazy("Prompt")),
        Field("max_digits", "int", gettext_lazy("Maximum digits"), minimum=1, maximum=32, default=11),
        Field("terminator", "choice", gettext_lazy("End key"), options=TERMINATOR_LABELS, default="#",
              required=False),
        Field("variable", "variable", gettext_lazy("Store as variable")),
        _TIMEOUT, _RETRIES, _NEXT, _ON_FAIL,
    ),
    "verify_password": (
        Field("subject", "subject", gettext_lazy("Whose password"), default="caller",
              options={"caller": SUBJECT_LABELS["caller"]},
              help=gettext_lazy("“caller”, or “var:NAME” for a number collected into a variable.")),
        Field("prompt", "text", gettext_lazy("Prompt"), required=False),
        _TIMEOUT, _RETRIES, _NEXT, _ON_FAIL,
    ),
    "query": (
        Field("query", "choice", gettext_lazy("Query"), options=QUERY_LABELS, default="bill_current"),
        Field("subject", "subject", gettext_lazy("About which number"), default="caller", options=SUBJECT_LABELS,
              help=gettext_lazy("“caller”, “ask”, or “var:NAME”. Anything but the caller's own number needs "
                                "the service password of that number.")),
        Field("require_password", "bool", gettext_lazy("Ask the password even for the caller's own number"),
              required=False, default=False),
        Field("by", "choice", gettext_lazy("Which work order"), options=BY_LABELS, default="latest",
              required=False),
        _TIMEOUT, _RETRIES, _NEXT, _ON_FAIL,
    ),
    "offer_send": (
        Field("prompt", "text", gettext_lazy("Prompt"), required=False,
              help=gettext_lazy("Key 1 sends the results by SMS, key 2 by e-mail, key 3 by a call back; any other "
                                "key goes on.")),
        _TIMEOUT, _NEXT,
    ),
    "notices": (
        Field("prompt", "text", gettext_lazy("Prompt"), required=False,
              help=gettext_lazy("Said first; then each kind of notice is read with its key and whether it is on.")),
        _TIMEOUT, _NEXT,
    ),
    "survey": (
        Field("script", "code", gettext_lazy("Survey script"),
              help=gettext_lazy("Code of a published survey script; the caller answers its questions with keys.")),
        Field("text", "text", gettext_lazy("Message before the survey"), required=False),
        Field("thanks", "text", gettext_lazy("Thanks after the survey"), required=False),
        _TIMEOUT, _RETRIES, _NEXT,
    ),
    "transfer": (
        Field("queue", "code", gettext_lazy("Queue")),
        Field("vip_queue", "code", gettext_lazy("Queue for VIP customers"), required=False),
        Field("priority_boost", "int", gettext_lazy("Priority boost"), minimum=0, maximum=2, default=0,
              required=False, help=gettext_lazy("Levels to move the caller up (0 VIP, 1 GoTone, 2 others).")),
        Field("text", "text", gettext_lazy("Message before transferring"), required=False),
    ),
    "hangup": (Field("text", "text", gettext_lazy("Goodbye message"), required=False),),
}


def field_of(node_type: str, name: str) -> Field | None:
    return next((f for f in FIELDS.get(node_type, ()) if f.name == name), None)


# --- parsed flow --------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    id: str
    type: str
    data: dict

    def get(self, name: str, default: Any = None) -> Any:
        """A field's value; unset (or empty, unless empty is an option) gives the field's default."""
        value = self.data.get(name)
        f = field_of(self.type, name)
        if value is None or (value == "" and not (f is not None and f.options and "" in f.options)):
            return f.default if f is not None and default is None else default
        return value

    @property
    def label(self) -> str:
        return str(self.data.get("name") or "")

    def edges(self) -> list[tuple[str, str]]:
        """``[(why, target)]`` in display order: keys first, then next, then on-fail."""
        out: list[tuple[str, str]] = []
        if self.type == "menu":
            choices = self.data.get("choices") or {}
            if isinstance(choices, dict):
                out += [(str(k), str(v)) for k, v in sorted(choices.items(), key=lambda kv: KEYS.find(str(kv[0])))
                        if v]
        for name in ("next", "on_fail"):
            if field_of(self.type, name) is not None and self.data.get(name):
                out.append((name, str(self.data[name])))
        return out

    def passes_without_input(self) -> bool:
        """Whether entering this node can move on without waiting for a key (for the loop check)."""
        if self.type in ("play", "offer_send", "notices"):  # a caller with no results or no mobile goes on
            return True
        if self.type == "query":
            return (self.get("subject") == "caller" and not self.get("require_password")
                    and self.get("query") != "bill_detail"
                    and not (self.get("query") == "workorder" and self.get("by") == "serial"))
        return False


@dataclass
class Flow:
    start: str
    nodes: dict[str, Node] = field(default_factory=dict)

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]


class FlowError(ValueError):
    """A definition that cannot run; ``problems`` lists every reason (translated)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


# --- validation -------------------------------------------------------------------


def _check_field(node_id: str, f: Field, value: Any, problems: list[str]) -> None:
    label = str(f.label)
    if value in (None, "") or (f.kind == "keys" and not value):
        if f.required:
            problems.append(_("Node “%(id)s”: “%(field)s” is required.") % {"id": node_id, "field": label})
        return
    if f.kind == "text":
        if not isinstance(value, str) or not value.strip():
            problems.append(_("Node “%(id)s”: “%(field)s” must be text.") % {"id": node_id, "field": label})
        elif len(value) > TEXT_MAX:
            problems.append(_("Node “%(id)s”: “%(field)s” is longer than %(max)d characters.")
                            % {"id": node_id, "field": label, "max": TEXT_MAX})
    elif f.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or not f.minimum <= value <= f.maximum:
            problems.append(_("Node “%(id)s”: “%(field)s” must be a whole number from %(min)d to %(max)d.")
                            % {"id": node_id, "field": label, "min": f.minimum, "max": f.maximum})
    elif f.kind == "choice":
        if value not in (f.options or {}):
            problems.append(_("Node “%(id)s”: “%(value)s” is not a valid “%(field)s”.")
                            % {"id": node_id, "value": value, "field": label})
    elif f.kind == "bool":
        if not isinstance(value, bool):
            problems.append(_("Node “%(id)s”: “%(field)s” must be true or false.") % {"id": node_id, "field": label})
    elif f.kind == "keys":
        if not isinstance(value, dict):
            problems.append(_("Node “%(id)s”: “%(field)s” must map keys to nodes.") % {"id": node_id, "field": label})
            return
        for key, target in value.items():
            if len(str(key)) != 1 or str(key) not in KEYS:
                problems.append(_("Node “%(id)s”: “%(key)s” is not a telephone key (0-9, * or #).")
                                % {"id": node_id, "key": key})
            if not isinstance(target, str) or not target:
                problems.append(_("Node “%(id)s”: key “%(key)s” leads nowhere.") % {"id": node_id, "key": key})
    elif f.kind == "node":
        if not isinstance(value, str):
            problems.append(_("Node “%(id)s”: “%(field)s” must name a node.") % {"id": node_id, "field": label})
    elif f.kind == "code":
        if not isinstance(value, str) or not re.match(r"^[A-Za-z0-9_-]{1,32}$", value):
            problems.append(_("Node “%(id)s”: “%(field)s” must be a queue code.") % {"id": node_id, "field": label})
    elif f.kind == "variable":
        if not isinstance(value, str) or not VARIABLE_RE.match(value):
            problems.append(_("Node “%(id)s”: “%(field)s” must be a name of letters, digits and “_”.")
                            % {"id": node_id, "field": label})
    elif f.kind == "subject":
        allowed = f.options or {}
        ok = isinstance(value, str) and (value in allowed or (value.startswith("var:")
                                                              and VARIABLE_RE.match(value[4:]) is not None))
        if not ok:
            problems.append(_("Node “%(id)s”: “%(field)s” must be one of %(allowed)s or “var:NAME”.")
                            % {"id": node_id, "field": label, "allowed": " / ".join(f"“{a}”" for a in allowed)})


def _shape(definition: Any, problems: list[str]) -> Flow | None:
    if not isinstance(definition, dict) or not isinstance(definition.get("nodes"), list):
        problems.append(_("The flow must be an object with “start” and a list of “nodes”."))
        return None
    flow = Flow(start=str(definition.get("start") or ""))
    for index, raw in enumerate(definition["nodes"], 1):
        if not isinstance(raw, dict):
            problems.append(_("Node %(n)d is not an object.") % {"n": index})
            continue
        node_id = raw.get("id")
        if not isinstance(node_id, str) or not NODE_ID_RE.match(node_id):
            problems.append(_("Node %(n)d: the id may use letters, digits, “_” and “-” (at most 32).") % {"n": index})
            continue
        if node_id in flow.nodes:
            problems.append(_("Node id “%(id)s” is used twice.") % {"id": node_id})
            continue
        node_type = raw.get("type")
        if node_type not in TYPES:
            problems.append(_("Node “%(id)s” has an unknown type “%(type)s”.") % {"id": node_id, "type": node_type})
            continue
        if raw.get("name") is not None and (not isinstance(raw["name"], str) or len(raw["name"]) > 64):
            problems.append(_("Node “%(id)s”: the name must be text of at most 64 characters.") % {"id": node_id})
        for f in FIELDS[node_type]:
            _check_field(node_id, f, raw.get(f.name), problems)
        known = {f.name for f in FIELDS[node_type]} | {"id", "type", "name"}
        for extra in sorted(set(raw) - known):
            problems.append(_("Node “%(id)s”: unknown field “%(field)s”.") % {"id": node_id, "field": extra})
        flow.nodes[node_id] = Node(id=node_id, type=node_type, data=raw)
    return flow


def _graph(flow: Flow, problems: list[str]) -> None:
    for node in flow.nodes.values():
        for why, target in node.edges():
            if target not in flow.nodes:
                problems.append(_("Node “%(id)s”: “%(why)s” leads to “%(target)s”, which does not exist.")
                                % {"id": node.id, "why": why, "target": target})
    if flow.start not in flow.nodes:
        problems.append(_("The start node “%(id)s” does not exist.") % {"id": flow.start})
        return
    seen, todo = {flow.start}, deque([flow.start])
    while todo:
        for _why, target in flow.nodes[todo.popleft()].edges():
            if target in flow.nodes and target not in seen:
                seen.add(target)
                todo.append(target)
    for node_id in flow.nodes:
        if node_id not in seen:
            problems.append(_("Node “%(id)s” cannot be reached from the start.") % {"id": node_id})
    # Dead ends: nodes from which no transfer or hang-up can be reached (walk the edges backwards).
    back: dict[str, set[str]] = {n: set() for n in flow.nodes}
    for node in flow.nodes.values():
        for _why, target in node.edges():
            if target in back:
                back[target].add(node.id)
    alive = {n.id for n in flow.nodes.values() if n.type in TERMINALS}
    todo = deque(alive)
    while todo:
        for source in back[todo.popleft()]:
            if source not in alive:
                alive.add(source)
                todo.append(source)
    for node_id in flow.nodes:
        if node_id in seen and node_id not in alive:
            problems.append(_("Node “%(id)s” is a dead end: no path from it reaches a transfer or a hang-up.")
                            % {"id": node_id})
    _loops(flow, problems)


def _loops(flow: Flow, problems: list[str]) -> None:
    """Cycles made only of nodes that can move on without a key would spin forever."""
    passing = {n.id for n in flow.nodes.values() if n.passes_without_input()}
    edges = {n: [t for _w, t in flow.nodes[n].edges() if t in passing] for n in passing}
    state: dict[str, int] = {}
    reported: set[frozenset] = set()

    def visit(n: str, path: list[str]) -> None:
        state[n] = 1
        path.append(n)
        for t in edges[n]:
            if state.get(t) == 1:
                cycle = path[path.index(t):]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    problems.append(_("Nodes %(ids)s form a loop that never waits for the caller.")
                                    % {"ids": " → ".join(cycle + [t])})
            elif t not in state:
                visit(t, path)
        path.pop()
        state[n] = 2

    for n in sorted(passing):
        if n not in state:
            visit(n, [])


def parse(definition: Any) -> Flow:
    """The runnable flow, or ``FlowError`` listing every problem."""
    problems: list[str] = []
    flow = _shape(definition, problems)
    if flow is not None and not problems:
        _graph(flow, problems)
    if problems:
        raise FlowError(problems)
    return flow


def problems_of(definition: Any) -> list[str]:
    try:
        parse(definition)
    except FlowError as exc:
        return exc.problems
    return []


def queue_codes(flow_or_definition: Flow | dict) -> set[str]:
    """Queue codes the transfer nodes name (for the "queue exists" warning)."""
    nodes = (flow_or_definition.nodes.values() if isinstance(flow_or_definition, Flow)
             else [Node(id=str(n.get("id")), type=str(n.get("type")), data=n)
                   for n in raw_nodes(flow_or_definition)])
    out = set()
    for node in nodes:
        if node.type == "transfer":
            out.update(c for c in (node.data.get("queue"), node.data.get("vip_queue")) if isinstance(c, str) and c)
    return out


def raw_nodes(definition) -> list[dict]:
    nodes = definition.get("nodes") if isinstance(definition, dict) else None
    return [n for n in nodes if isinstance(n, dict)] if isinstance(nodes, list) else []


def variables_collected(definition: dict) -> set[str]:
    return {str(n.get("variable")) for n in raw_nodes(definition)
            if n.get("type") == "collect" and n.get("variable")}


def new_node(node_type: str, node_id: str) -> dict:
    """A node of ``node_type`` with every field at its default (the editor's "add node")."""
    node: dict[str, Any] = {"id": node_id, "type": node_type}
    for f in FIELDS[node_type]:
        if f.default is not None:
            node[f.name] = f.default
        elif f.kind == "keys":
            node[f.name] = {}
        elif f.required:
            node[f.name] = ""
    return node
