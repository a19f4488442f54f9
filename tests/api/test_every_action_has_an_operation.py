"""Every action the pages offer has an API operation that does the same.

The page actions come from the URL resolver, never from a list: a route whose view takes a
POST (it says so with ``require_POST``, or it reads ``request.POST`` / ``request.method``,
itself or in the helpers it calls: the generic edit and delete pages). Each one is in
``OPERATIONS`` below, with the operations that do what it does, or in ``NOT_ACTIONS_ON_DATA``
with the reason it has none. A new page action joins this test by failing it.

The forms and htmx buttons of the templates are checked against the same routes, so the
way the routes are found cannot quietly miss an action a page shows.
"""

from __future__ import annotations

import inspect
import re
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

import tandem

ONE = "/api/partnerships/{partnership_id}"
WS = "/api/workspaces/{workspace_id}"

# Page route name -> the API operations ("METHOD /api/path") that do the same.
OPERATIONS: dict[str, tuple[str, ...]] = {
    # Partnerships, their notes and contacts, partner-side people
    "partnership_create": ("POST /api/partnerships",),
    "partnership_edit": (f"PATCH {ONE}",),
    "partnership_archive": (f"POST {ONE}/archive",),
    "partnership_restore": (f"POST {ONE}/archive",),  # archived=false
    "partner_invite": (f"POST {ONE}/invitations",),
    "partner_access_remove": (f"DELETE {ONE}/people/{{access_id}}",),
    "partner_invitation_revoke": (f"DELETE {ONE}/invitations/{{invitation_id}}",),
    "item_create": (f"POST {ONE}/notes", f"POST {ONE}/contacts"),
    "item_edit": (f"PATCH {ONE}/notes/{{note_id}}", f"PATCH {ONE}/contacts/{{contact_id}}"),
    "item_delete": (f"DELETE {ONE}/notes/{{note_id}}", f"DELETE {ONE}/contacts/{{contact_id}}"),
    # Workspace, members, invitations, tokens
    "member_invite": (f"POST {WS}/invitations",),
    "member_role": (f"PATCH {WS}/members/{{membership_id}}",),
    "member_level": (f"PATCH {WS}/members/{{membership_id}}/capacity",),
    "member_remove": (f"DELETE {WS}/members/{{membership_id}}",),
    "invitation_revoke": (f"DELETE {WS}/invitations/{{invitation_id}}",),
    "token_revoke": ("DELETE /api/me/tokens/{token_id}",),
    "focus_capacity": (f"PATCH {WS}/members/{{membership_id}}/capacity",),
    "focus_limit": (f"PATCH {WS}",),
    # To-dos and rocks
    "todo_create": (f"POST {ONE}/todos",),
    "todo_edit": (f"PATCH {ONE}/todos/{{todo_id}}",),
    "todo_delete": (f"DELETE {ONE}/todos/{{todo_id}}",),
    "todo_done": (f"POST {ONE}/todos/{{todo_id}}/done",),
    "rock_create": (f"POST {ONE}/rocks",),
    "rock_edit": (f"PATCH {ONE}/rocks/{{rock_id}}",),
    "rock_status": (f"PATCH {ONE}/rocks/{{rock_id}}",),
    "rock_delete": (f"DELETE {ONE}/rocks/{{rock_id}}",),
    "milestone_add": (f"POST {ONE}/rocks/{{rock_id}}/milestones",),
    # Issues
    "issue_create": (f"POST {ONE}/issues",),
    "issue_edit": (f"PATCH {ONE}/issues/{{issue_id}}",),
    "issue_delete": (f"DELETE {ONE}/issues/{{issue_id}}",),
    "issue_rank": (f"POST {ONE}/issues/{{issue_id}}/rank",),
    "issue_vote": (f"POST {ONE}/issues/{{issue_id}}/vote",),
    "issue_apply_votes": (f"POST {ONE}/issues/apply-votes",),
    "issue_solve": (f"POST {ONE}/issues/{{issue_id}}/solve",),
    "issue_reopen": (f"POST {ONE}/issues/{{issue_id}}/reopen",),
    "issue_move": (f"POST {ONE}/issues/{{issue_id}}/move",),
    # Ideas
    "idea_create": (f"POST {ONE}/ideas",),
    "idea_edit": (f"PATCH {ONE}/ideas/{{idea_id}}",),
    "idea_delete": (f"DELETE {ONE}/ideas/{{idea_id}}",),
    "idea_commit": (f"POST {ONE}/ideas/{{idea_id}}/commit",),
    "idea_release": (f"POST {ONE}/ideas/{{idea_id}}/release",),
    "idea_done": (f"POST {ONE}/ideas/{{idea_id}}/done",),
    "idea_move": (f"POST {ONE}/ideas/{{idea_id}}/move",),
    "idea_convert": (f"POST {ONE}/ideas/{{idea_id}}/convert",),
    "idea_settings": (f"PATCH {ONE}/ideas/board",),
    # Goals, values, company goals
    "goal_create": (f"POST {ONE}/goals",),
    "goal_edit": (f"PATCH {ONE}/goals/{{goal_id}}",),
    "goal_delete": (f"DELETE {ONE}/goals/{{goal_id}}",),
    "value_create": (f"POST {ONE}/values",),
    "value_edit": (f"PATCH {ONE}/values/{{value_id}}",),
    "value_delete": (f"DELETE {ONE}/values/{{value_id}}",),
    "company_goal_create": (f"POST {WS}/company-goals",),
    "company_goal_edit": (f"PATCH {WS}/company-goals/{{company_goal_id}}",),
    "company_goal_delete": (f"DELETE {WS}/company-goals/{{company_goal_id}}",),
    # Scorecard
    "measurable_create": (f"POST {ONE}/measurables",),
    "measurable_edit": (f"PATCH {ONE}/measurables/{{measurable_id}}",),
    "measurable_delete": (f"DELETE {ONE}/measurables/{{measurable_id}}",),
    "scorecard_cell": (f"PUT {ONE}/measurables/{{measurable_id}}/values/{{period_start}}",),
    "scorecard_goal": (f"PUT {ONE}/measurables/{{measurable_id}}/goals/{{period_start}}",),
    # Meetings: the schedule, starting one, and what the live meeting does to items
    "meeting_schedule_save": (f"PUT {ONE}/meetings/schedule",),
    "meeting_start": (f"POST {ONE}/meetings",),
    "meeting_rock": (f"PATCH {ONE}/rocks/{{rock_id}}",),
    "meeting_next_rock": (f"POST {ONE}/rocks",),
    "meeting_todo": (f"POST {ONE}/todos/{{todo_id}}/done",),
    "meeting_vote": (f"POST {ONE}/issues/{{issue_id}}/vote",),
    "meeting_rank_votes": (f"POST {ONE}/issues/apply-votes",),
    "meeting_solve": (f"POST {ONE}/issues/{{issue_id}}/solve",),
    "milestone_done": (f"POST {ONE}/rocks/{{rock_id}}/milestones/{{milestone_id}}/done",),
    "milestone_delete": (f"DELETE {ONE}/rocks/{{rock_id}}/milestones/{{milestone_id}}",),
    "measurable_move": (f"POST {ONE}/measurables/{{measurable_id}}/move",),
    "ask_reopen": (f"POST {ONE}/asks/{{ask_id}}/reopen",),
    # The running meeting's controls (meetings/live_api.py)
    "meeting_timer": (f"POST {ONE}/meetings/{{meeting_id}}/timer",),
    "meeting_section": (f"POST {ONE}/meetings/{{meeting_id}}/section",),
    "meeting_facilitator": (f"POST {ONE}/meetings/{{meeting_id}}/facilitator",),
    "meeting_headline_add": (f"POST {ONE}/meetings/{{meeting_id}}/headlines",),
    "meeting_headline_delete": (f"DELETE {ONE}/meetings/{{meeting_id}}/headlines/{{headline_id}}",),
    "meeting_drop": (f"POST {ONE}/issues",),  # an off-track rock or measurable, as an issue
    "meeting_loose_end": (f"POST {ONE}/meetings/{{meeting_id}}/loose-ends",),
    "meeting_rate": (f"PUT {ONE}/meetings/{{meeting_id}}/rating",),
    "meeting_absent": (f"POST {ONE}/meetings/{{meeting_id}}/absences",),
    "meeting_end": (f"POST {ONE}/meetings/{{meeting_id}}/end",),
    # People (seats), due diligence, commitments, communication, asks, check-ins
    "seat_create": (f"POST {ONE}/seats",),
    "seat_edit": (f"PATCH {ONE}/seats/{{seat_id}}",),
    "seat_delete": (f"DELETE {ONE}/seats/{{seat_id}}",),
    "criterion_create": (f"POST {WS}/diligence/criteria",),
    "criterion_edit": (f"PATCH {WS}/diligence/criteria/{{criterion_id}}",),
    "criterion_move": (f"PATCH {WS}/diligence/criteria/{{criterion_id}}",),
    "criterion_retire": (f"PATCH {WS}/diligence/criteria/{{criterion_id}}",),
    "criteria_defaults": (f"POST {WS}/diligence/criteria/defaults",),
    "assessment_start": (f"POST {ONE}/diligence/assessments",),
    "assessment_save": (
        f"PATCH {ONE}/diligence/assessments/{{assessment_id}}",
        f"POST {ONE}/diligence/assessments/{{assessment_id}}/decision",
    ),
    "diligence_activate": (f"PATCH {ONE}",),  # stage=active, after a go
    "commitment_create": (f"POST {ONE}/commitments",),
    "commitment_suggest": (f"POST {ONE}/commitments",),  # a suggested one, as any other
    "commitment_edit": (f"PATCH {ONE}/commitments/{{commitment_id}}",),
    "commitment_delete": (f"DELETE {ONE}/commitments/{{commitment_id}}",),
    "commitment_review": (f"POST {ONE}/commitments/{{commitment_id}}/reviews",),
    "commitment_review_clear": (
        f"DELETE {ONE}/commitments/{{commitment_id}}/reviews/{{review_id}}",
    ),
    "plan_entry_create": (f"POST {ONE}/communication",),
    "plan_entry_edit": (f"PATCH {ONE}/communication/{{plan_entry_id}}",),
    "plan_entry_delete": (f"DELETE {ONE}/communication/{{plan_entry_id}}",),
    "plan_touch": (f"POST {ONE}/communication/{{plan_entry_id}}/touches",),
    "ask_create": (f"POST {ONE}/asks",),
    "ask_edit": (f"PATCH {ONE}/asks/{{ask_id}}",),
    "ask_delete": (f"DELETE {ONE}/asks/{{ask_id}}",),
    "ask_answer": (f"POST {ONE}/asks/{{ask_id}}/answer",),
    "ask_withdraw": (f"POST {ONE}/asks/{{ask_id}}/withdraw",),
    "checkin_create": (f"POST {ONE}/checkins",),
    "checkin_edit": (f"PATCH {ONE}/checkins/{{checkin_id}}",),
    "checkin_delete": (f"DELETE {ONE}/checkins/{{checkin_id}}",),
    # The Way
    "way_defaults": (f"POST {WS}/way/defaults",),
    "way_process_create": (f"POST {WS}/way/processes",),
    "way_process_edit": (f"PATCH {WS}/way/processes/{{process_id}}",),
    "way_process_delete": (f"DELETE {WS}/way/processes/{{process_id}}",),
    "way_process_move": (f"POST {WS}/way/processes/{{process_id}}/move",),
    "way_step_create": (f"POST {WS}/way/processes/{{process_id}}/steps",),
    "way_step_edit": (f"PATCH {WS}/way/steps/{{step_id}}",),
    "way_step_delete": (f"DELETE {WS}/way/steps/{{step_id}}",),
    "way_step_move": (f"POST {WS}/way/steps/{{step_id}}/move",),
    "way_step_check": (f"PUT {ONE}/way/steps/{{step_id}}/check",),
    # Pipeline, ledger, money
    "opportunity_create": (f"POST {ONE}/opportunities",),
    "opportunity_edit": (f"PATCH {ONE}/opportunities/{{opportunity_id}}",),
    "opportunity_delete": (f"DELETE {ONE}/opportunities/{{opportunity_id}}",),
    "opportunity_move": (f"POST {ONE}/opportunities/{{opportunity_id}}/move",),
    "opportunity_decide": (f"POST {ONE}/opportunities/{{opportunity_id}}/decide",),
    "pipeline_stage_create": (f"POST {WS}/pipeline/stages",),
    "pipeline_stage_edit": (f"PATCH {WS}/pipeline/stages/{{stage_id}}",),
    "pipeline_stage_archive": (f"PATCH {WS}/pipeline/stages/{{stage_id}}",),
    "pipeline_stage_move": (f"PATCH {WS}/pipeline/stages/{{stage_id}}",),
    "pipeline_stall": (f"PUT {WS}/pipeline/settings",),
    "entry_create": (f"POST {ONE}/ledger",),
    "entry_edit": (f"PATCH {ONE}/ledger/{{entry_id}}",),
    "entry_delete": (f"DELETE {ONE}/ledger/{{entry_id}}",),
    "entry_answer": (
        f"POST {ONE}/ledger/{{entry_id}}/confirm",
        f"POST {ONE}/ledger/{{entry_id}}/dispute",
    ),
    "kind_list": (f"POST {WS}/ledger/kinds",),  # the kinds page adds one
    "kind_edit": (f"PATCH {WS}/ledger/kinds/{{kind_id}}",),
    "kind_archive": (f"PATCH {WS}/ledger/kinds/{{kind_id}}",),
    "kind_move": (f"PATCH {WS}/ledger/kinds/{{kind_id}}",),
    "money_base": (f"PUT {WS}/currency",),
    "money_rate": (f"POST {WS}/rates",),
    # The plan, health, alerts, notifications, the digest
    "plan_sign": (f"POST {ONE}/plans/{{plan_quarter}}/sign",),
    "health_weights": (f"PUT {WS}/health/weights",),
    "alert_settings": (f"PUT {WS}/alerts/settings",),
    "notification_read_all": ("POST /api/notifications/read-all",),
    "notification_preferences": ("PUT /api/notifications/preferences",),
    "digest_preferences": ("PUT /api/digest/preferences",),
    # The digest's single-use links do one of three things, each an operation.
    "digest_action": (
        f"POST {ONE}/todos/{{todo_id}}/done",
        f"POST {ONE}/asks/{{ask_id}}/answer",
        f"POST {ONE}/plans/{{plan_quarter}}/sign",
    ),
    # Webhooks (issue 18): the workspace's, and a partner-side person's for their partnership
    "webhook_add": (f"POST {WS}/webhooks",),
    "webhook_edit": (f"PATCH {WS}/webhooks/{{endpoint_id}}",),
    "webhook_switch": (f"PATCH {WS}/webhooks/{{endpoint_id}}",),
    "webhook_delete": (f"DELETE {WS}/webhooks/{{endpoint_id}}",),
    "webhook_redeliver": (
        f"POST {WS}/webhooks/{{endpoint_id}}/deliveries/{{delivery_id}}/redeliver",
    ),
    "partner_webhook_add": (f"POST {ONE}/webhooks",),
    "partner_webhook_edit": (f"PATCH {ONE}/webhooks/{{endpoint_id}}",),
    "partner_webhook_switch": (f"PATCH {ONE}/webhooks/{{endpoint_id}}",),
    "partner_webhook_delete": (f"DELETE {ONE}/webhooks/{{endpoint_id}}",),
    "partner_webhook_redeliver": (
        f"POST {ONE}/webhooks/{{endpoint_id}}/deliveries/{{delivery_id}}/redeliver",
    ),
    # The partnership's chat channels (issue 18)
    "sso_settings": (f"PUT {WS}/sso/policy",),
    "sso_provider_add": (f"POST {WS}/sso/providers",),
    "sso_provider_edit": (f"PATCH {WS}/sso/providers/{{provider_id}}",),
    "sso_provider_delete": (f"DELETE {WS}/sso/providers/{{provider_id}}",),
    "chat_channel_add": (f"POST {ONE}/chat-channels",),
    "chat_channel_edit": (f"PATCH {ONE}/chat-channels/{{chat_channel_id}}",),
    "chat_channel_delete": (f"DELETE {ONE}/chat-channels/{{chat_channel_id}}",),
    "chat_channel_test": (f"POST {ONE}/chat-channels/{{chat_channel_id}}/test",),
    # Imports
    "import_new": (f"POST {WS}/imports",),
    "import_detail": (
        f"PUT {WS}/imports/{{import_id}}/mapping",
        f"POST {WS}/imports/{{import_id}}/check",
    ),
    "import_start": (f"POST {WS}/imports/{{import_id}}/start",),
    "import_cancel": (f"POST {WS}/imports/{{import_id}}/cancel",),
}

# Page routes that take a POST but change no data of the workspace's, or that a caller with
# a token could not (or must not) use. Each says why.
NOT_ACTIONS_ON_DATA: dict[str, str] = {
    "workspace_switch": "the browser session's current workspace; API paths name the workspace",
    "invitation_accept": "the invited person's own sign-up through the mailed link: no token yet",
    "tokens": "making a token: its secret is shown once, in the browser; a token makes no token",
    "calendar_settings": "the private calendar address: a secret shown once, like a token",
    "calendar_delete": "turning the private calendar address off: the same secret, the same page",
    "sso_start": "signing in with a company's login: a browser's sign-in, before any token",
}

# Page actions still without an operation: none. Listed so that a gap is seen; it only
# shrinks (test_the_gaps_only_shrink).
NO_OPERATION_YET: dict[str, str] = {}

POSTISH = re.compile(r"request\.POST\b|request\.method\s*(==|!=|in)")
TEMPLATE_ACTION = re.compile(
    r"<form\b[^>]*method=\"post\"[^>]*action=\"\{% url '(?P<form>\w+)'"
    r"|hx-(?:post|put|patch|delete)=\"\{% url '(?P<htmx>\w+)'",
    re.IGNORECASE,
)


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def _wrapped(view: Callable[..., Any]) -> list[Callable[..., Any]]:
    chain: list[Callable[..., Any]] = []
    while view is not None and view not in chain:
        chain.append(view)
        view = getattr(view, "__wrapped__", None)  # type: ignore[assignment]
    return chain


def _declared_methods(view: Callable[..., Any]) -> set[str]:
    """The methods a ``require_http_methods`` (``require_POST``, ``require_GET``) allows."""
    methods: set[str] = set()
    for function in _wrapped(view):
        for cell in getattr(function, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if (
                isinstance(value, list | tuple)
                and value
                and all(isinstance(m, str) and m in {"GET", "POST", "HEAD", "PUT"} for m in value)
            ):
                methods |= set(value)
    return methods


def _reads_post(function: Any, depth: int = 2, seen: set[int] | None = None) -> bool:
    """Whether ``function``, or a function of ours it names (two calls deep), reads a POST."""
    seen = set() if seen is None else seen
    if not isinstance(function, types.FunctionType) or id(function) in seen:
        return False
    seen.add(id(function))
    if not function.__module__.startswith("tandem."):
        return False
    if POSTISH.search(inspect.getsource(function)):
        return True
    if depth == 0:
        return False
    named = [function.__globals__.get(name) for name in function.__code__.co_names]
    for cell in function.__closure__ or ():
        try:
            named.append(cell.cell_contents)
        except ValueError:
            continue
    return any(_reads_post(other, depth - 1, seen) for other in named)


def post_routes() -> dict[str, str]:
    """Every page route that takes a POST: its name and its address."""
    found = {}
    for route, pattern in _walk(get_resolver().url_patterns):
        module = getattr(pattern.callback, "__module__", "")
        if module.startswith(("ninja", "allauth", "django.")) or route.startswith("api/"):
            continue
        declared = _declared_methods(pattern.callback)
        takes_post = "POST" in declared if declared else _reads_post(_wrapped(pattern.callback)[-1])
        if takes_post:
            assert pattern.name, f"{route} takes a POST but has no name"
            found[pattern.name] = route
    return found


def api_operations() -> set[str]:
    from tandem.api.api import api

    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
    }


def test_every_page_action_has_its_operation() -> None:
    actions = post_routes()
    accounted = set(OPERATIONS) | set(NOT_ACTIONS_ON_DATA) | set(NO_OPERATION_YET)
    missing = sorted(f"{name} ({actions[name]})" for name in set(actions) - accounted)
    assert not missing, (
        "Page actions without an API operation: add one (or, if it changes no data, say"
        f" why in NOT_ACTIONS_ON_DATA): {missing}"
    )


def test_the_table_names_only_page_actions() -> None:
    actions = post_routes()
    listed = [*OPERATIONS, *NOT_ACTIONS_ON_DATA, *NO_OPERATION_YET]
    stale = sorted(name for name in listed if name not in actions)
    assert not stale, f"Not page actions (renamed or gone?): {stale}"
    assert len(listed) == len(set(listed)), "A route is listed twice"


def test_every_operation_named_is_in_the_schema() -> None:
    operations = api_operations()
    unknown = sorted(
        f"{name}: {operation}"
        for name, named in OPERATIONS.items()
        for operation in named
        if operation not in operations
    )
    assert not unknown, f"Operations not in the OpenAPI schema: {unknown}"


def test_the_gaps_only_shrink() -> None:
    """Nothing joins the list of gaps: a new page action comes with its operation."""
    assert len(NO_OPERATION_YET) <= 0, "A new page action needs its operation, not a gap."


def _template_actions() -> Iterator[tuple[Path, str]]:
    root = Path(tandem.__file__).parent
    for template in root.rglob("templates/**/*.html"):
        for match in TEMPLATE_ACTION.finditer(template.read_text()):
            yield template.relative_to(root), match.group("form") or match.group("htmx")


def test_every_form_of_the_pages_posts_to_a_known_action() -> None:
    """What the templates post to is found by the resolver walk above (so is in the table),
    or is allauth's own (sign-in, sign-out: not actions on data)."""
    actions = post_routes()
    stray = sorted(
        f"{template}: {name}"
        for template, name in _template_actions()
        if name not in actions and not name.startswith("account_")
    )
    assert not stray, f"Templates post to routes the walk did not find: {stray}"
    assert len(list(_template_actions())) > 100, "The template scan found too little"
