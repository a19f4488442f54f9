"""The ideas backlog over HTTP: the item type's operations (``services.IDEAS``), the board,
and committing, releasing, finishing, moving and converting an idea."""

from typing import Any

from django.db.models import Case, IntegerField, Value, When
from ninja import Router

from tandem.core.access import Actor
from tandem.core.api.items import item_api, operation
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, VersionIn
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope, item_for
from tandem.ideas import selectors, services
from tandem.ideas.models import Idea, IdeaStatus
from tandem.ideas.schemas import (
    BoardOut,
    BoardPatch,
    HorizonValue,
    IdeaConvertIn,
    IdeaMoveIn,
    IdeaOut,
    StatusValue,
)
from tandem.ideas.services import IDEAS

router = Router(tags=["Ideas"])
ONE = "/partnerships/{partnership_id}/ideas/{idea_id}"
STATUS_ORDER = Case(
    *(When(status=status, then=Value(n)) for n, status in enumerate(IdeaStatus.values)),
    output_field=IntegerField(),
)


def _idea(request: TandemRequest, scope: Scope, idea_id: int) -> Idea:
    return item_for(Idea.objects.select_related("owner"), request.actor, scope, idea_id)


def _linked(actor: Actor, idea: Idea) -> Idea:
    """The idea as saved, with what it became read through the actor's scope (a rock made
    internal since is not shown to the partner's side)."""
    ideas = Idea.objects.visible_to(actor).select_related("owner")
    return selectors.with_places(selectors.with_links(ideas, actor), actor).get(pk=idea.pk)


@operation(
    router,
    "get",
    "/partnerships/{partnership_id}/ideas",
    level="partnership",
    program=True,
    paginated=True,
    response=list[IdeaOut],
    summary="List ideas: open ones first (tactical, then strategic, in priority order)",
)
def list_ideas(
    request: TandemRequest,
    partnership: Scope,
    horizon: HorizonValue | None = None,
    status: StatusValue | None = None,
) -> Any:
    actor = request.actor
    ideas = selectors.with_places(
        selectors.with_links(selectors.ideas_for(actor, partnership), actor), actor
    )
    if horizon:
        ideas = ideas.filter(horizon=horizon)
    if status:
        ideas = ideas.filter(status=status)
    return ideas.order_by(STATUS_ORDER.asc(), "horizon", "position", "-closed_at", "id")


@operation(
    router,
    "get",
    "/partnerships/{partnership_id}/ideas/board",
    level="partnership",
    program=True,
    response=BoardOut,
    summary="The commit limit, how many are committed, and the owner of each group",
)
def get_board(request: TandemRequest, partnership: Scope) -> Any:
    return _board_out(request.actor, partnership, services.board_of(partnership))


@operation(
    router,
    "patch",
    "/partnerships/{partnership_id}/ideas/board",
    level="partnership_manage",
    program=True,
    response=BoardOut,
    summary="Change the commit limit or the group owners (members of the workspace)",
)
def update_board(request: TandemRequest, partnership: Scope, payload: BoardPatch) -> Any:
    values = payload.dict(exclude={"version"}, exclude_unset=True)
    values = person_from(values, "tactical_owner_id", "tactical_owner")
    values = person_from(values, "strategic_owner_id", "strategic_owner")
    board = services.board_update(
        actor=request.actor, partnership=partnership, version=payload.version, **values
    )
    return _board_out(request.actor, partnership, board)


def _board_out(actor: Actor, partnership: Scope, board: Any) -> Any:
    """The board with the commit figures as the caller reads them (``CommitBar``)."""
    bar = selectors.commit_bar(actor, partnership, board.commit_limit)
    board.committed = bar.seen
    board.places_taken = bar.taken
    board.room = bar.room
    return board


# After the board: /ideas/board is not an idea.
item_api(
    IDEAS,
    router,
    "/partnerships/{partnership_id}/ideas",
    out=IdeaOut,
    read=_linked,
    with_list=False,
    nullable=("owner", "details"),
    summaries={
        "create": "Capture an idea (tactical unless you say; owner: the group's owner or you)",
        "patch": "Change an idea or move it to the other group (send the version you read)",
        "delete": "Delete an idea (send the version you read)",
    },
)


@operation(
    router,
    "post",
    f"{ONE}/commit",
    level="partnership",
    program=True,
    item="idea_id",
    response=IdeaOut,
    summary="Commit to an idea; refused with 409 when the partnership is at its limit",
)
def commit_idea(request: TandemRequest, scope: Scope, item_id: Id, payload: VersionIn) -> Any:
    idea = _idea(request, scope, item_id)
    services.idea_commit(idea, actor=request.actor, version=payload.version)
    return _linked(request.actor, idea)


@operation(
    router,
    "post",
    f"{ONE}/release",
    level="partnership",
    program=True,
    item="idea_id",
    response=IdeaOut,
    summary="Put a committed idea back in the backlog",
)
def release_idea(request: TandemRequest, scope: Scope, item_id: Id, payload: VersionIn) -> Any:
    idea = _idea(request, scope, item_id)
    services.idea_release(idea, actor=request.actor, version=payload.version)
    return _linked(request.actor, idea)


@operation(
    router,
    "post",
    f"{ONE}/done",
    level="partnership",
    program=True,
    item="idea_id",
    response=IdeaOut,
    summary="Mark an idea done (it frees its committed place)",
)
def finish_idea(request: TandemRequest, scope: Scope, item_id: Id, payload: VersionIn) -> Any:
    idea = _idea(request, scope, item_id)
    services.idea_finish(idea, actor=request.actor, version=payload.version)
    return _linked(request.actor, idea)


@operation(
    router,
    "post",
    f"{ONE}/move",
    level="partnership",
    program=True,
    item="idea_id",
    response=IdeaOut,
    summary="Move an idea one place up or down its group's priority order",
)
def move_idea(request: TandemRequest, scope: Scope, item_id: Id, payload: IdeaMoveIn) -> Any:
    idea = _idea(request, scope, item_id)
    services.idea_move(idea, actor=request.actor, direction=payload.direction)
    return _linked(request.actor, idea)


@operation(
    router,
    "post",
    f"{ONE}/convert",
    level="partnership",
    program=True,
    item="idea_id",
    response=IdeaOut,
    summary="Turn an idea into a rock (this quarter) or a to-do (due in 7 days)",
)
def convert_idea(request: TandemRequest, scope: Scope, item_id: Id, payload: IdeaConvertIn) -> Any:
    idea = _idea(request, scope, item_id)
    services.idea_convert(idea, actor=request.actor, version=payload.version, into=payload.into)
    return _linked(request.actor, idea)
