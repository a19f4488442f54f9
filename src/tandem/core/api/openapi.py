"""What every operation can answer besides success, documented once from the operation itself.

The exception handlers in ``tandem.api.api`` turn each refusal into a problem (RFC 9457); this
module says in the schema which problems each operation can give, from what the operation is.
Any request may be refused before it reaches the operation (400: a control character in the
address, a body that is not a JSON object: malformed). An operation that needs a token answers
401; one that names records in its path or query, 404; one that takes parameters or a body,
422 for fields its schema refuses; one that changes something, 400 for a refusal by the
domain's rules (of a value the schema accepts) and 403 for a caller who may see but not do
it; one at a level that only some of those who see it reach, 403; one that sends the
version it read, 409. An operation that can refuse with a status its shape does not
imply declares it the usual ninja way (``response={201: ..., 409: Problem}``).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from tandem.core.api.schemas import VISIBLE, Problem
from tandem.core.decorators import LEVELS
from tandem.core.ids import MAX_ID
from tandem.core.problems import PROBLEM_TYPE, problem_response

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

# What a read-only token may call (tandem.api.api refuses it anything else).
READING = {"get", "head", "options"}

# Levels that someone who sees the operation's object may still not reach (LEVELS in
# tandem.core.decorators): partner-side people at member and manage levels, members at admin.
LEVELS_WITH_REFUSALS = {"member", "admin", "partnership_manage"}

# The one rule for refusals of what a caller sent; the API's description says it to callers.
VALIDATION_RULE = (
    "**Refusals of what you send.** 400: the request is malformed, so nothing in it was read"
    " (the body is not JSON, or not a JSON object; a control character in the address)."
    " 422: a well-formed request whose fields this schema refuses (missing, empty, too long,"
    " a date outside 2000–2100, a wrong type); `errors` names each field. 400 with `errors`"
    " naming the field: a value the schema accepts that a rule of the workspace's data refuses"
    " (an owner outside the partnership, a period that is not a Monday of this measurable, a"
    " limit reached) — a caller can check a 422 against this schema before sending; a rule"
    " needs the data, so it answers as the pages do. Every refusal has the same problem shape."
)

MALFORMED_DETAIL = "The body is not a JSON object. Send one, with `Content-Type: application/json`."


def malformed_body_response() -> HttpResponse:
    return problem_response(
        400, "Malformed request", MALFORMED_DETAIL, errors={"request": ["Not a JSON object."]}
    )


DESCRIPTIONS = {
    400: "Malformed request (the body is not a JSON object; a control character in the"
    " address), or, for a change, a valid value that a rule of the domain refuses; the"
    " problem's `errors` name the fields.",
    401: "Not signed in: send a personal API token as `Authorization: Bearer tdm_…`; or the"
    " token has expired (the problem says when).",
    403: "You can see this but may not do this; or, for a change, the token is read-only.",
    404: "Not found, or you don't have access to it.",
    409: "Someone changed the record since you read it (the problem carries `current` and"
    " `differences`), or its state refuses the change.",
    422: "Validation failed: a well-formed request whose fields this schema refuses (missing,"
    " empty, too long, out of range, a wrong type); the problem's `errors` name each field.",
}


class ObjectBodyParser(Parser):
    """Every request body is a JSON object. Ninja reads a bare string or number into an input
    schema through attribute lookups (``"buy milk".title()`` became a note's title), so any
    other JSON is refused here, before a schema sees it (answered as 400)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("Send a JSON object.")
        return data


class TandemAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """The document, built once per process and address prefix: the operations do not
        change while the process runs, and building it takes most of a second. Each caller
        gets its own copy."""
        key = json.dumps([path_prefix, path_params], sort_keys=True, default=str)
        cache: dict[str, OpenAPISchema] = self.__dict__.setdefault("_schemas", {})
        if key not in cache:
            cache[key] = self._build_openapi_schema(path_prefix, path_params)
        copied = OpenAPISchema.__new__(OpenAPISchema)
        copied.update(_copied(cache[key]))
        return copied

    def _build_openapi_schema(
        self, path_prefix: str | None, path_params: dict[str, Any] | None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in _problem_components().items():
            components.setdefault(name, definition)
        for definition in components.values():
            _state_trimming(definition)
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                document_problems(method, path, operation, components)
                describe_access(method, operation)
        return schema


def _copied(value: Any) -> Any:
    """A copy of the document's dicts and lists (its leaves are strings, numbers and
    booleans): deepcopy's bookkeeping takes twenty times longer."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


# Who may call an operation, by its ``x-access``: the pages' levels (LEVELS), said of the
# workspace a call names rather than of the page's current one.
WHO_MAY_CALL = {
    "public": "anyone, signed in or not",
    "user": "anyone signed in, for their own things",
    "member": "members of the workspace (partner-side people are refused)",
    "admin": "owners and admins of the workspace (other members are refused)",
    "partnership": "anyone who can see the partnership, on either side (partner-side"
    " people reach its shared items only)",
    "partnership_manage": "members of the partnership's workspace (partner-side people are"
    " refused)",
}
assert WHO_MAY_CALL.keys() == LEVELS.keys(), "Say who may call an operation at each level"


def describe_access(method: str, operation: dict[str, Any]) -> None:
    """Every operation's description ends with who may call it (its ``x-access``) and
    whether a read-only token may: written once here, so no operation's description can
    leave it out or say it differently."""
    level = operation.get("x-access")
    said = [(operation.get("description") or "").strip()]
    if level in WHO_MAY_CALL:
        said.append(f"**Who may call it:** {WHO_MAY_CALL[level]}.")
    if method in READING:
        said.append("A read-only token may call it.")
    else:
        said.append("It changes data: a read-only token is refused (403).")
    operation["description"] = "\n\n".join(part for part in said if part)


def _state_trimming(schema: Any) -> None:
    """Every text with a minimum length is trimmed before it is counted (``strip_whitespace``
    with ``min_length`` in all our schemas), which JSON Schema's ``minLength`` cannot say: "  "
    has two characters and is refused as empty. So such a text also gets a pattern: at least
    ``minLength`` characters from its first visible one to its last."""
    if isinstance(schema, list):
        for item in schema:
            _state_trimming(item)
        return
    if not isinstance(schema, dict):
        return
    least = schema.get("minLength")
    if schema.get("type") == "string" and least and "pattern" not in schema:
        schema["pattern"] = VISIBLE if least == 1 else rf"{VISIBLE}[\s\S]{{{least - 2},}}{VISIBLE}"
    for value in schema.values():
        _state_trimming(value)


def _problem_components() -> dict[str, Any]:
    definition = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    nested = definition.pop("$defs", {})
    return {"Problem": definition, **nested}


def document_problems(
    method: str, path: str, operation: dict[str, Any], components: dict[str, Any]
) -> None:
    # Ninja keys responses by int status; JSON turns them into strings.
    responses = operation.setdefault("responses", {})
    for status in problem_statuses(method, operation, components):
        responses.setdefault(status, {"description": DESCRIPTIONS[status]})
    for status, response in responses.items():
        if 400 <= int(status) < 500:
            response["content"] = {PROBLEM_TYPE: {"schema": PROBLEM_REF}}
    if 401 in responses:
        responses[401]["headers"] = {
            "WWW-Authenticate": {"schema": {"type": "string"}, "required": True}
        }


def problem_statuses(
    method: str, operation: dict[str, Any], components: dict[str, Any]
) -> set[int]:
    parameters = operation.get("parameters", [])
    body = _body_properties(operation, components)
    changes = method != "get"
    statuses = {400}
    if operation.get("security"):
        statuses.add(401)
    if parameters or body is not None:
        statuses.add(422)
    if any(p["in"] == "path" or _names_a_record(p.get("schema", {})) for p in parameters):
        statuses.add(404)
    if changes:
        statuses.add(403)
    if operation.get("x-access") in LEVELS_WITH_REFUSALS:
        statuses.add(403)
    if "version" in (body or {}) or any(p["name"] == "version" for p in parameters):
        statuses.add(409)
    return statuses


def _body_properties(operation: dict[str, Any], components: dict[str, Any]) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {})
    if not content:
        return None
    schema = next(iter(content.values())).get("schema", {})
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema.get("properties", {})


def _names_a_record(schema: dict[str, Any]) -> bool:
    """An id parameter (``tandem.core.ids.Id``, perhaps optional) points at a record."""
    options = schema.get("anyOf", [schema])
    return any(option.get("maximum") == MAX_ID for option in options)
