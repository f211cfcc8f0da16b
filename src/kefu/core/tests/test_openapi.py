"""The generated OpenAPI document: one schema per component name, and the error answers documented."""

from __future__ import annotations

import json
from collections import defaultdict

from pydantic import BaseModel

from kefu.api import api
from kefu.core.openapi import ErrorOut, operation_error_statuses
from kefu.core.testing import api_operations, models_in


def _document() -> dict:
    """The document as a client reads it (JSON: status codes are strings)."""
    return json.loads(json.dumps(api.get_openapi_schema()))


def _operations():
    api.get_openapi_schema()  # the error answers are added to the operations with the first document
    yield from api_operations()


def _component_classes() -> dict[str, set[type[BaseModel]]]:
    """Component name → the classes that Ninja would document under it, across every operation."""
    found: set[type[BaseModel]] = set()
    for _path, operation in _operations():
        for model in operation.response_models.values():
            if isinstance(model, type):
                found.update(models_in(model))
        for model in operation.models:
            found.update(models_in(model))
    by_name: dict[str, set[type[BaseModel]]] = defaultdict(set)
    for model in found:
        if model.__module__.startswith("kefu."):  # Ninja's own wrappers (params, response) are flattened
            by_name[model.__name__].add(model)
    return by_name


def test_every_component_name_belongs_to_one_schema_class():
    clashes = {
        name: sorted(f"{m.__module__}.{m.__qualname__}" for m in models)
        for name, models in _component_classes().items()
        if len(models) > 1
    }
    assert not clashes, f"schemas documented under one name: {clashes}"


def test_the_walk_sees_the_schemas_of_the_document():
    """The test above would pass vacuously if the walk found nothing the document names."""
    names = set(_component_classes())
    components = set(_document()["components"]["schemas"])
    assert {"FlowVersionOut", "ArticleVersionOut", "SkillHolderOut", "OrderHolderOut", "ErrorOut"} <= names
    assert len(names & components) > 100


def test_ivr_versions_and_skill_group_members_are_documented_with_their_own_schema():
    doc = _document()
    paths = doc["paths"]
    version = paths["/api/ivr/flows/{flow_id}/versions/{number}"]["get"]["responses"]["200"]
    members = paths["/api/iam/skill-groups/{group_id}/members"]["get"]["responses"]["200"]
    assert version["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/FlowVersionOut"}
    assert "definition" in doc["components"]["schemas"]["FlowVersionOut"]["properties"]
    member_items = members["content"]["application/json"]["schema"]["items"]
    assert member_items == {"$ref": "#/components/schemas/SkillHolderOut"}
    assert "level" in doc["components"]["schemas"]["SkillHolderOut"]["properties"]


def _responses(path: str, method: str) -> dict:
    return _document()["paths"][path][method]["responses"]


def test_error_answers_use_the_one_error_schema():
    error = {"$ref": "#/components/schemas/ErrorOut"}
    doc = _document()
    assert set(doc["components"]["schemas"]["ErrorOut"]["properties"]) == {"code", "message", "details"}
    for path, methods in doc["paths"].items():
        for method, spec in methods.items():
            for status, answer in spec["responses"].items():
                if int(status) >= 400:
                    assert answer["content"]["application/json"]["schema"] == error, (method, path, status)


def test_guarded_operation_with_path_and_body_documents_its_errors():
    # Patching an organisation: login, the right, a body, an id, a stale version.
    assert set(_responses("/api/orgs/{org_id}", "patch")) == {"200", "400", "401", "403", "404", "409", "413"}


def test_statuses_follow_from_what_the_operation_can_raise():
    # The service password check locks the customer's password after repeated failures: 423.
    assert "423" in _responses("/api/crm/customers/{customer_id}/service-password/verify", "post")
    # A list without path parameters cannot answer 404, nor 413 without a body, nor 409.
    listing = _responses("/api/orgs/", "get")
    assert {"400", "401", "403"} <= set(listing)
    assert not {"404", "409", "413", "423"} & set(listing)


def test_public_operation_documents_no_authentication_error():
    assert set(_responses("/api/version", "get")) == {"200"}


def test_error_statuses_of_every_operation_are_client_errors():
    for path, operation in _operations():
        statuses = operation_error_statuses(operation)
        assert all(400 <= s < 500 for s in statuses), path
        assert all(operation.response_models[s].model_fields["response"].annotation is ErrorOut
                   for s in statuses), path


def test_a_change_open_to_a_browser_session_documents_the_csrf_refusal():
    assert "403" in _responses("/api/iam/me/password", "post")
    assert "403" not in _responses("/api/iam/me", "get")


def test_the_served_document_names_the_error_answers(client):
    doc = client.get("/api/openapi.json").json()
    assert "ErrorOut" in doc["components"]["schemas"]
    assert "409" in doc["paths"]["/api/orgs/{org_id}"]["patch"]["responses"]
