"""The whole API under a property-based fuzzer: no 500, answers match the documented schemas and statuses.

schemathesis generates requests from ``/api/openapi.json`` for every operation, as a super administrator
and as a city-branch agent, against a small demo center (a province, city branches, customers,
subscribers, work orders, queues, IVR flows, articles). Requests go through Django's test client in
process, inside the test's transaction, so the run works the same on SQLite and PostgreSQL. The run is
seeded (derandomized) and short; any failure names the operation and the request to replay.
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter

import pytest
import requests
import schemathesis
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance
from schemathesis.core.transport import Response
from schemathesis.generation import GenerationMode

from kefu.api import api

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
MAX_EXAMPLES = int(os.environ.get("KEFU_FUZZ_EXAMPLES", "10"))
BASE = "http://testserver"


@pytest.fixture
def demo_center(db):
    from kefu.demo.services import demo_seed
    from kefu.iam.models import Position, Staff

    demo_seed(customers=40, staff=24)
    admin = Staff.objects.get(employee_no="admin")
    agent = (Staff.objects.filter(position=Position.AGENT, org__code="GZ", status="active")
             .order_by("employee_no").first())
    assert agent is not None
    return {"admin": admin, "agent": agent}


def _send(client: Client, prepared: requests.PreparedRequest) -> Response:
    """Play a prepared request through Django's test client and wrap the answer for schemathesis."""
    url = requests.utils.urlparse(prepared.url)
    headers = {k: v for k, v in prepared.headers.items() if k.lower() not in ("content-length", "host")}
    content_type = headers.pop("Content-Type", None) or headers.pop("content-type", None)
    extra = {"QUERY_STRING": url.query} if url.query else {}
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode()
    dj = client.generic(prepared.method, url.path, data=body, content_type=content_type or "",
                        headers=headers, **extra)
    resp_headers = {k.lower(): [v] for k, v in dj.items()}
    return Response(status_code=dj.status_code, headers=resp_headers, content=dj.content, request=prepared,
                    elapsed=0.0, verify=False, message=dj.reason_phrase or "")


# Path parameter → where its real values live, so that beside random ids (404) the fuzzer also
# reaches the handlers behind them with rows of the seeded center.
_PATH_VALUES = {
    "org_id": ("orgs.Organisation", "pk"), "org_code": ("orgs.Organisation", "code"),
    "role_id": ("iam.Role", "pk"), "staff_id": ("iam.Staff", "pk"), "group_id": ("iam.SkillGroup", "pk"),
    "team_id": ("iam.Team", "pk"), "tp_id": ("iam.TemporaryPermission", "pk"), "token_id": ("iam.ApiToken", "pk"),
    "entry_id": ("audit.AuditEntry", "pk"), "customer_id": ("crm.Customer", "pk"),
    "account_id": ("crm.Account", "pk"), "ref": ("workorders.WorkOrder", "serial"),
    "order_id": ("workorders.WorkOrder", "pk"), "template_id": ("workorders.ProcessTemplate", "pk"),
    "notice_id": ("workorders.Notice", "pk"), "contact_id": ("contactcenter.Contact", "pk"),
    "queue_id": ("contactcenter.Queue", "pk"), "flow_id": ("ivr.Flow", "pk"), "article_id": ("knowledge.Article", "pk"),
    "case_id": ("knowledge.Case", "pk"),
}


def _path_values() -> dict[str, list]:
    from django.apps import apps

    from kefu.params import registry

    values = {}
    for name, (label, field) in _PATH_VALUES.items():
        model = apps.get_model(label)
        found = list(model.objects.order_by("pk").values_list(field, flat=True)[:20])
        if found:
            values[name] = found
    values["key"] = sorted(p.key for p in registry.definitions())
    values["number"] = [1, 2]
    return values


def _body_values() -> dict[str, st.SearchStrategy]:
    """Body fields → real values, so that creates and changes also get past "unknown organisation"."""
    from kefu.contactcenter.models import Queue
    from kefu.crm.models import Customer, Subscriber
    from kefu.iam.models import PermissionNode, Role, SkillGroup, Staff, Team
    from kefu.orgs.models import Organisation
    from kefu.workorders.models import WorkOrder

    def pick(queryset, field="pk"):
        return list(queryset.order_by("pk").values_list(field, flat=True)[:20])

    org_codes = st.sampled_from(pick(Organisation.objects, "code"))
    employee_nos = st.sampled_from(pick(Staff.objects, "employee_no"))
    serials = st.sampled_from(pick(WorkOrder.objects, "serial"))
    staff_ids = st.sampled_from(pick(Staff.objects))
    role_ids = st.sampled_from(pick(Role.objects))
    return {
        "org": org_codes, "to_org": org_codes, "org_code": org_codes, "parent": org_codes,
        "org_id": st.sampled_from(pick(Organisation.objects)), "to_staff": employee_nos, "staff": employee_nos,
        "customer_id": st.sampled_from(pick(Customer.objects)), "manager_id": staff_ids, "staff_id": staff_ids,
        "subscriber_number": st.sampled_from(pick(Subscriber.objects, "number")),
        "serial": serials, "appeal_of": serials, "duplicate_of": serials,
        "role_id": role_ids, "role_ids": st.lists(role_ids, min_size=1, max_size=2),
        "staff_ids": st.lists(staff_ids, min_size=1, max_size=2),
        "team_id": st.sampled_from(pick(Team.objects)), "to_team": st.sampled_from(pick(Team.objects)),
        "queue_id": st.sampled_from(pick(Queue.objects)), "group_id": st.sampled_from(pick(SkillGroup.objects)),
        "codes": st.lists(st.sampled_from(sorted(PermissionNode.objects.values_list("code", flat=True))),
                          min_size=1, max_size=3),
        "version": st.integers(0, 3),
    }


def _isolated(call):
    """Each request starts from the seeded center: a deleted super role or a disabled caller, once
    answered, must not turn every later request into a 403."""
    from kefu.workorders.services import templates

    with transaction.atomic():
        result = call()
        transaction.set_rollback(True)
    templates._cache.clear()  # ids of rolled-back template versions are handed out again
    return result


class _Run:
    """Counts and failures of one fuzz run (one user)."""

    def __init__(self, client: Client, secret: str, path_values: dict[str, list],
                 body_values: dict[str, st.SearchStrategy]):
        self.path_values = path_values
        self.body_values = body_values
        self.client = client
        self.auth = {"Authorization": f"Bearer {secret}"}
        self.operations = 0
        self.cases = 0
        self.answered_2xx: set[str] = set()
        self.labels: list[str] = []
        self.statuses: Counter[int] = Counter()
        self.failures: dict[tuple[str, str, int], str] = {}

    def check(self, operation, case) -> None:
        self.cases += 1
        kwargs = case.as_transport_kwargs(base_url=BASE, headers=self.auth)
        for transport_only in ("verify", "allow_redirects", "timeout"):
            kwargs.pop(transport_only, None)
        prepared = requests.Request(**kwargs).prepare()
        response = _isolated(lambda: _send(self.client, prepared))
        if 200 <= response.status_code < 300:
            self.answered_2xx.add(operation.label)
        self.statuses[response.status_code] += 1
        if os.environ.get("KEFU_FUZZ_DEBUG"):
            print(operation.label, response.status_code, response.content[:150])
        try:
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as group:  # noqa: BLE001 - collect all, report at the end
            exc = group.exceptions[0] if isinstance(group, BaseExceptionGroup) else group
            key = (operation.label, type(exc).__name__, response.status_code)
            body = prepared.body or ""
            self.failures.setdefault(key, (
                f"{operation.label} -> {response.status_code}\n"
                f"  {prepared.method} {prepared.url} {body[:300]!r}\n"
                f"  {str(exc)[:1500]}\n  {response.content[:500]!r}"
            ))

    def _realistic(self, case):
        """The case with the body fields that name things replaced by real ones."""
        body = case.body
        if not isinstance(body, dict):
            return st.just(case)
        draws = {key: values for key, values in self.body_values.items() if key in body}
        if not draws:
            return st.just(case)

        def apply(values):
            case.body = {**body, **values}
            return case

        return st.fixed_dictionaries(draws).map(apply)

    def fuzz(self, operation) -> None:
        self.operations += 1
        strategies = [operation.as_strategy(GenerationMode.POSITIVE),
                      operation.as_strategy(GenerationMode.NEGATIVE)]
        known = {p.name: st.sampled_from(self.path_values[p.name])
                 for p in operation.path_parameters if p.name in self.path_values}
        if known:
            strategies.insert(0, st.fixed_dictionaries(known).flatmap(
                lambda path: operation.as_strategy(GenerationMode.POSITIVE, path_parameters=path)))
        if operation.body:
            strategies.insert(0, strategies[0].flatmap(self._realistic))
        strategy = st.one_of(*strategies)

        @given(case=strategy)
        @settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
                  suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate],
                  print_blob=False)
        def run(case):
            self.check(operation, case)

        run()


def _fuzz(staff) -> _Run:
    from kefu.iam.services.tokens import api_token_create

    _token, secret = api_token_create(actor=staff, name="fuzz")
    raw = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/")))
    schema = schemathesis.openapi.from_dict(raw)
    result = _Run(Client(raise_request_exception=False), secret, _path_values(), _body_values())
    only = os.environ.get("KEFU_FUZZ_ONLY", "")  # to replay one operation: a part of its label
    for operation in schema.get_all_operations():
        if only in operation.ok().label:
            result.fuzz(operation.ok())
            result.labels.append(operation.ok().label)
    return result


@pytest.fixture
def _quiet_request_log():
    """Thousands of expected 4xx answers would flood the log; a 500 shows in the failure report."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.DEBUG if os.environ.get("KEFU_FUZZ_DEBUG") else logging.CRITICAL)
    yield
    logger.setLevel(level)


@pytest.mark.parametrize("who", ["admin", "agent"])
def test_api_fuzz(demo_center, who, _quiet_request_log):
    run = _fuzz(demo_center[who])
    print(f"\nfuzz as {who}: {run.operations} operations, {run.cases} cases, "
          f"{len(run.answered_2xx)} operations answered 2xx, {len(run.failures)} failures; "
          f"statuses {dict(sorted(run.statuses.items()))}")
    if os.environ.get("KEFU_FUZZ_DEBUG"):
        print("never 2xx:", *[label for label in run.labels if label not in run.answered_2xx], sep="\n  ")
    documented = sum(len(methods) for methods in api.get_openapi_schema()["paths"].values())
    assert run.operations == documented or os.environ.get("KEFU_FUZZ_ONLY")
    assert not run.failures, "\n\n".join(run.failures.values())
