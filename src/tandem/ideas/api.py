"""The ideas backlog over HTTP: the same services as the pages."""

from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.api.pagination import Pages
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, Version, VersionIn
from tandem.core.api.scope import ScopeId, scope_from
from tandem.core.scope import item_for
from tandem.ideas import selectors, services
from tandem.ideas.models import Idea, IdeaStatus
from tandem.ideas.schemas import (
    BoardOut,
    BoardPatch,
    HorizonValue,
    IdeaConvertIn,
    IdeaIn,
    IdeaMoveIn,
    IdeaOut,
    IdeaPatch,
    StatusValue,
)

router = Router(tags=["Ideas"])
ACCESS = {"x-access": "partnership"}
MANAGE = {"x-access": "partnership_manage"}
STATUS_ORDER = Case(
    *(When(status=status, then=Value(n)) for n, status in enumerate(IdeaStatus.values)),
    output_field=IntegerField(),
)


def _idea(request: HttpRequest, partnership_id: str, idea_id: int) -> tuple[Any, Idea]:
    actor, partnership = scope_from(request, partnership_id)
    return actor, item_for(Idea.objects.select_related("owner"), actor, partnership, idea_id)


def _linked(actor: Any, idea: Idea) -> Idea:
    """The idea as saved, with what it became read through the actor's scope (a rock made
    internal since is not shown to the partner's side)."""
    ideas = Idea.objects.visible_to(actor).select_related("owner")
    return selectors.with_places(selectors.with_links(ideas, actor), actor).get(pk=idea.pk)


@router.get(
    "/partnerships/{partnership_id}/ideas",
    response=list[IdeaOut],
    openapi_extra=ACCESS,
    summary="List ideas: open ones first (tactical, then strategic, in priority order)",
)
@paginate(Pages)
def list_ideas(
    request: HttpRequest,
    partnership_id: ScopeId,
    horizon: HorizonValue | None = None,
    status: StatusValue | None = None,
) -> Any:
    actor, partnership = scope_from(request, partnership_id)
    ideas = selectors.with_places(
        selectors.with_links(selectors.ideas_for(actor, partnership), actor), actor
    )
    if horizon:
        ideas = ideas.filter(horizon=horizon)
    if status:
        ideas = ideas.filter(status=status)
    return ideas.order_by(STATUS_ORDER.asc(), "horizon", "position", "-closed_at", "id")


@router.post(
    "/partnerships/{partnership_id}/ideas",
    response={201: IdeaOut},
    openapi_extra=ACCESS,
    summary="Capture an idea (tactical unless you say; owner: the group's owner or you)",
)
def create_idea(request: HttpRequest, partnership_id: ScopeId, payload: IdeaIn) -> Any:
    actor, partnership = scope_from(request, partnership_id)
    values = person_from(payload.dict(), "owner_id", "owner")
    idea = services.idea_create(actor=actor, partnership=partnership, **values)
    return Status(201, _linked(actor, idea))


@router.get(
    "/partnerships/{partnership_id}/ideas/board",
    response=BoardOut,
    openapi_extra=ACCESS,
    summary="The commit limit, how many are committed, and the owner of each group",
)
def get_board(request: HttpRequest, partnership_id: ScopeId) -> Any:
    actor, partnership = scope_from(request, partnership_id)
    return _board_out(actor, partnership, services.board_of(partnership))


@router.patch(
    "/partnerships/{partnership_id}/ideas/board",
    response=BoardOut,
    openapi_extra=MANAGE,
    summary="Change the commit limit or the group owners (members of the workspace)",
)
def update_board(request: HttpRequest, partnership_id: ScopeId, payload: BoardPatch) -> Any:
    actor, partnership = scope_from(request, partnership_id, level="manage")
    values = payload.dict(exclude={"version"}, exclude_unset=True)
    values = person_from(values, "tactical_owner_id", "tactical_owner")
    values = person_from(values, "strategic_owner_id", "strategic_owner")
    board = services.board_update(
        actor=actor, partnership=partnership, version=payload.version, **values
    )
    return _board_out(actor, partnership, board)


def _board_out(actor: Any, partnership: Any, board: Any) -> Any:
    """The board with the commit figures as the caller reads them (``CommitBar``)."""
    bar = selectors.commit_bar(actor, partnership, board.commit_limit)
    board.committed = bar.seen
    board.places_taken = bar.taken
    board.room = bar.room
    return board


@router.patch(
    "/partnerships/{partnership_id}/ideas/{idea_id}",
    response=IdeaOut,
    openapi_extra=ACCESS,
    summary="Change an idea or move it to the other group (send the version you read)",
)
def update_idea(
    request: HttpRequest, partnership_id: ScopeId, idea_id: Id, payload: IdeaPatch
) -> Any:
    actor, idea = _idea(request, partnership_id, idea_id)
    values = person_from(payload.dict(exclude={"version"}, exclude_unset=True), "owner_id", "owner")
    refuse_nulls(values, ("title", "horizon", "visibility"))
    if values.get("details", "") is None:
        values["details"] = ""
    services.idea_update(idea, actor=actor, version=payload.version, **values)
    return _linked(actor, idea)


@router.post(
    "/partnerships/{partnership_id}/ideas/{idea_id}/commit",
    response=IdeaOut,
    openapi_extra=ACCESS,
    summary="Commit to an idea; refused with 409 when the partnership is at its limit",
)
def commit_idea(
    request: HttpRequest, partnership_id: ScopeId, idea_id: Id, payload: VersionIn
) -> Any:
    actor, idea = _idea(request, partnership_id, idea_id)
    services.idea_commit(idea, actor=actor, version=payload.version)
    return _linked(actor, idea)


@router.post(
    "/partnerships/{partnership_id}/ideas/{idea_id}/release",
    response=IdeaOut,
    openapi_extra=ACCESS,
    summary="Put a committed idea back in the backlog",
)
def release_idea(
    request: HttpRequest, partnership_id: ScopeId, idea_id: Id, payload: VersionIn
) -> Any:
    actor, idea = _idea(request, partnership_id, idea_id)
    services.idea_release(idea, actor=actor, version=payload.version)
    return _linked(actor, idea)


@router.post(
    "/partnerships/{partnership_id}/ideas/{idea_id}/done",
    response=IdeaOut,
    openapi_extra=ACCESS,
    summary="Mark an idea done (it frees its committed place)",
)
def finish_idea(
    request: HttpRequest, partnership_id: ScopeId, idea_id: Id, payload: VersionIn
) -> Any:
    actor, idea = _idea(request, partnership_id, idea_id)
    services.idea_finish(idea, actor=actor, version=payload.version)
    return _linked(actor, idea)


@router.post(
    "/partnerships/{partnership_id}/ideas/{idea_id}/move",
    response=IdeaOut,
    openapi_extra=ACCESS,
    summary="Move an idea one place up or down its group's priority order",
)
def move_idea(
    request: HttpRequest, partnership_id: ScopeId, idea_id: Id, payload: IdeaMoveIn
) -> Any:
    actor, idea = _idea(request, partnership_id, idea_id)
    services.idea_move(idea, actor=actor, direction=payload.direction)
    return _linked(actor, idea)


@router.post(
    "/partnerships/{partnership_id}/ideas/{idea_id}/convert",
    response=IdeaOut,
    openapi_extra=ACCESS,
    summary="Turn an idea into a rock (this quarter) or a to-do (due in 7 days)",
)
def convert_idea(
    request: HttpRequest, partnership_id: ScopeId, idea_id: Id, payload: IdeaConvertIn
) -> Any:
    actor, idea = _idea(request, partnership_id, idea_id)
    services.idea_convert(idea, actor=actor, version=payload.version, into=payload.into)
    return _linked(actor, idea)


@router.delete(
    "/partnerships/{partnership_id}/ideas/{idea_id}",
    response={204: None},
    openapi_extra=ACCESS,
    summary="Delete an idea (send the version you read)",
)
def delete_idea(
    request: HttpRequest, partnership_id: ScopeId, idea_id: Id, version: Version
) -> Any:
    actor, idea = _idea(request, partnership_id, idea_id)
    services.idea_delete(idea, actor=actor, version=version)
    return Status(204, None)
