"""The REST API: one NinjaAPI, token or session auth, a router per app, errors as problems.

Every operation declares who may call it in ``openapi_extra={"x-access": ...}`` (the same
levels as the pages, see ``tandem.core.decorators.LEVELS``); the access test reads them from
the schema and checks each one against every kind of user.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import formats
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from tandem.accounts.actors import actor_for
from tandem.accounts.services import token_for_secret
from tandem.core.api.openapi import (
    READING,
    VALIDATION_RULE,
    ObjectBodyParser,
    TandemAPI,
    malformed_body_response,
)
from tandem.core.errors import Conflict, DomainError
from tandem.core.http import TandemRequest
from tandem.core.problems import problem_response


class TokenExpired(AuthenticationError):
    """A token past its expiry: refused as not signed in, saying when it ran out."""

    def __init__(self, expired_at: datetime) -> None:
        super().__init__()
        self.expired_at = expired_at


class TokenReadOnly(PermissionDenied):
    """A read-only token on a call that changes something: answered 403, saying so."""


class BearerToken(HttpBearer):
    """``Authorization: Bearer tdm_…`` with a personal API token: refused once it has
    expired, and on any call that would change something when it is read-only."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_for_secret(token)
        if found is None:
            return None
        if found.is_expired:
            raise TokenExpired(cast(datetime, found.expires_at))
        if found.is_read_only and (request.method or "").lower() not in READING:
            raise TokenReadOnly(
                "This token is read-only: it can read but not change anything. Use a"
                " read-write token (Settings → API tokens) for this call."
            )
        user = found.user
        tandem_request = cast(TandemRequest, request)  # given its actor here
        tandem_request.user = user
        tandem_request.actor = actor_for(user)
        return user


api = TandemAPI(
    title="Tandem API",
    version="1",
    description=(
        "Run partnerships from your own tools. Authenticate with a personal API token"
        " (`Authorization: Bearer tdm_…`, created under Settings → API tokens). A token is"
        " read-only (every call that changes something answers 403) or read-write, and may"
        " expire (then every call answers 401, saying when). Errors are"
        " JSON problems (RFC 9457) with a `detail` you can act on. Updates carry the"
        " `version` you read; a stale version answers 409 with the current record.\n\n"
        + VALIDATION_RULE
    ),
    auth=[BearerToken(), SessionAuth()],
    parser=ObjectBodyParser(),
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(Conflict)
def on_conflict(request: TandemRequest, error: Conflict) -> HttpResponse:
    from tandem.core.api.serialize import current_record

    return problem_response(
        409,
        error.title,
        error.detail + " Fetch it again, reapply your change, and send the new version.",
        current=current_record(error.current),
        differences=error.comparison(),
    )


@api.exception_handler(DomainError)
def on_domain_error(request: TandemRequest, error: DomainError) -> HttpResponse:
    error = error.for_api()
    return problem_response(error.status, error.title, error.detail, errors=error.errors)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: TandemRequest, error: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for item in error.errors:
        location = [str(part) for part in item.get("loc", ())]
        if location[:1] == ["body"]:
            # ninja's prefix (where the value came from, the parameter's name), not a field:
            # a note has a field called "body" too.
            location = location[2:]
        errors.setdefault(".".join(location) or "request", []).append(str(item.get("msg", "")))
    return problem_response(
        422, "Invalid input", "Some fields are missing or not valid.", errors=errors
    )


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: TandemRequest, error: AuthenticationError) -> HttpResponse:
    if isinstance(error, TokenExpired):
        expired = error.expired_at.astimezone(UTC)
        when = formats.date_format(expired, "j F Y, H:i")
        response = problem_response(
            401,
            "Token expired",
            f"This token expired on {when} UTC. Create a new one under Settings → API tokens.",
        )
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response
    response = problem_response(
        401,
        "Not signed in",
        "Send a personal API token as `Authorization: Bearer tdm_…`.",
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def on_not_found(request: TandemRequest, error: Http404) -> HttpResponse:
    return problem_response(404, "Not found", "Not found, or you don't have access to it.")


@api.exception_handler(PermissionDenied)
def on_denied(request: TandemRequest, error: PermissionDenied) -> HttpResponse:
    title = "Read-only token" if isinstance(error, TokenReadOnly) else "Not allowed"
    return problem_response(403, title, str(error) or "You don't have permission.")


@api.exception_handler(HttpError)
def on_http_error(request: TandemRequest, error: HttpError) -> HttpResponse:
    if error.status_code == 400 and error.__cause__ is not None:
        # Ninja's answer to a body its parser (ObjectBodyParser) could not read.
        return malformed_body_response()
    return problem_response(error.status_code, "Error", str(error))


from tandem.accounts.api import router as accounts_router  # noqa: E402
from tandem.evaluation.alerts.api import router as alerts_router  # noqa: E402
from tandem.evaluation.dashboard.api import router as dashboard_router  # noqa: E402
from tandem.evaluation.digest.api import router as digest_router  # noqa: E402
from tandem.evaluation.health.api import router as health_router  # noqa: E402
from tandem.exchange.ledger.api import router as ledger_router  # noqa: E402
from tandem.exchange.money.api import router as money_router  # noqa: E402
from tandem.exchange.pipeline.api import router as pipeline_router  # noqa: E402
from tandem.exchange.pipeline.funnel_api import router as funnel_router  # noqa: E402
from tandem.ideas.api import router as ideas_router  # noqa: E402
from tandem.integrations.chat.api import router as chat_router  # noqa: E402
from tandem.integrations.sso.api import router as sso_router  # noqa: E402
from tandem.integrations.webhooks.api import router as webhooks_router  # noqa: E402
from tandem.issues.api import router as issues_router  # noqa: E402
from tandem.meetings.api import router as meetings_router  # noqa: E402
from tandem.meetings.live_api import router as live_meeting_router  # noqa: E402
from tandem.meetings.schedule.api import router as schedule_router  # noqa: E402
from tandem.notifications.api import router as notifications_router  # noqa: E402
from tandem.partners.api import router as partners_router  # noqa: E402
from tandem.partners.audit_api import router as audit_router  # noqa: E402
from tandem.plans.api import router as plans_router  # noqa: E402
from tandem.relationship.asks.api import router as asks_router  # noqa: E402
from tandem.relationship.checkins.api import router as checkins_router  # noqa: E402
from tandem.relationship.commitments.api import router as commitments_router  # noqa: E402
from tandem.relationship.communication.api import router as communication_router  # noqa: E402
from tandem.relationship.diligence.api import router as diligence_router  # noqa: E402
from tandem.relationship.people.api import router as people_router  # noqa: E402
from tandem.relationship.way.api import router as way_router  # noqa: E402
from tandem.scorecard.api import router as scorecard_router  # noqa: E402
from tandem.traction.api import router as traction_router  # noqa: E402
from tandem.transfer.archive.api import router as archive_router  # noqa: E402
from tandem.transfer.imports.api import router as imports_router  # noqa: E402
from tandem.vision.api import router as vision_router  # noqa: E402
from tandem.vision.values.api import router as values_router  # noqa: E402

api.add_router("/", accounts_router)
api.add_router("/", imports_router)
api.add_router("/", archive_router)
api.add_router("/", webhooks_router)
api.add_router("/", chat_router)
api.add_router("/", sso_router)
api.add_router("/", audit_router)
api.add_router("/", partners_router)
api.add_router("/", traction_router)
api.add_router("/", issues_router)
api.add_router("/", vision_router)
api.add_router("/", values_router)
api.add_router("/", scorecard_router)
api.add_router("/", ideas_router)
api.add_router("/", schedule_router)
api.add_router("/", meetings_router)
api.add_router("/", live_meeting_router)
api.add_router("/", people_router)
api.add_router("/", diligence_router)
api.add_router("/", commitments_router)
api.add_router("/", communication_router)
api.add_router("/", asks_router)
api.add_router("/", checkins_router)
api.add_router("/", way_router)
api.add_router("/", pipeline_router)
api.add_router("/", notifications_router)
api.add_router("/", plans_router)
api.add_router("/", health_router)
api.add_router("/", alerts_router)
api.add_router("/", dashboard_router)
api.add_router("/", digest_router)
api.add_router("/", funnel_router)
api.add_router("/", money_router)
api.add_router("/", ledger_router)
