"""Notifications over HTTP: your list (paginated, ``?unread=true``), marking read, and what
also comes to you by e-mail; and the people an item of a partnership may mention."""

from datetime import datetime
from typing import Any, Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import StrictBool

from tandem.core.access import Visibility
from tandem.core.api.items import operation
from tandem.core.api.pagination import Pages
from tandem.core.api.schemas import Id
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.notifications import services
from tandem.notifications.models import Notification

router = Router(tags=["Notifications"])
USER = {"x-access": "user"}

KindValue = Literal["assigned", "ask", "mention", "meeting_started", "plan_to_sign"]


class NotificationOut(Schema):
    id: int
    kind: KindValue
    text: str
    url: str = Field(description="Where the item is read, a path on this site")
    partnership_id: int | None
    item_model: str = Field(description='The item\'s model, e.g. "traction.todo"; "" for none')
    item_id: int | None
    actor_id: int | None = Field(description="Who caused it")
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_item_model(obj: Notification) -> str:
        return obj.target_model

    @staticmethod
    def resolve_item_id(obj: Notification) -> int | None:
        return obj.target_id


class NotificationFilters(Schema):
    unread: bool = False


class NotificationReadAllOut(Schema):
    marked: int = Field(description="How many were unread")


class NotificationPreferencesOut(Schema):
    by_email: dict[KindValue, StrictBool] = Field(
        description="Per kind, whether it also comes by e-mail (it always shows in the app)"
    )


class NotificationPreferencesIn(Schema):
    by_email: dict[KindValue, StrictBool] = Field(
        description="The kinds to set; kinds not named keep their choice"
    )


class NotificationPersonOut(Schema):
    id: int
    name: str
    mention: str = Field(description='What to write to mention them: "@Name"')


@router.get(
    "/notifications",
    response=list[NotificationOut],
    openapi_extra=USER,
    summary="Your notifications, newest first",
)
@paginate(Pages)
def list_notifications(request: TandemRequest, filters: Query[NotificationFilters]) -> Any:
    return services.notifications_for(request.actor, unread=filters.unread)


@router.post(
    "/notifications/read-all",
    response=NotificationReadAllOut,
    openapi_extra=USER,
    summary="Mark all your notifications read",
)
def read_all_notifications(request: TandemRequest) -> Any:
    return {"marked": services.mark_all_read(request.actor)}


@router.get(
    "/notifications/preferences",
    response=NotificationPreferencesOut,
    openapi_extra=USER,
    summary="What also comes to you by e-mail",
)
def get_notification_preferences(request: TandemRequest) -> Any:
    return {"by_email": services.preferences(request.user)}  # type: ignore[arg-type]


@router.put(
    "/notifications/preferences",
    response=NotificationPreferencesOut,
    openapi_extra=USER,
    summary="Choose what also comes to you by e-mail",
)
def set_notification_preferences(request: TandemRequest, payload: NotificationPreferencesIn) -> Any:
    chosen = services.preferences_set(request.user, dict(payload.by_email))  # type: ignore[arg-type]
    return {"by_email": chosen}


@router.post(
    "/notifications/{notification_id}/read",
    response=NotificationOut,
    openapi_extra=USER,
    summary="Mark one notification read",
)
def read_notification(request: TandemRequest, notification_id: Id) -> Any:
    note = Notification.objects.visible_to(request.actor).filter(pk=notification_id).first()
    if note is None:
        raise Http404
    return services.mark_read(request.actor, note)


class MentionFilters(Schema):
    visibility: Literal["shared", "internal"] = "shared"


@operation(
    router,
    "get",
    "/partnerships/{partnership_id}/mentionable",
    level="partnership",
    program=True,
    response=list[NotificationPersonOut],
)
def list_mentionable(
    request: TandemRequest, partnership: Scope, filters: Query[MentionFilters]
) -> Any:
    """The people an item of the partnership with this visibility may mention"""
    people = services.mentionable(
        partnership.workspace_id,
        None if partnership.is_program else partnership,
        Visibility(filters.visibility),
    )
    return [
        {"id": p.pk, "name": p.get_full_name(), "mention": f"@{p.get_full_name()}"} for p in people
    ]
