"""The ideas backlog over HTTP: the item type's operations (``services.IDEAS``), the board,
and committing, releasing, finishing, moving and converting an idea."""

from functools import partial
from typing import Any

from django.db.models import Case, IntegerField, Value, When
from ninja import Router

from tandem.core.access import Actor
from tandem.core.api.items import item_api, operation
from tandem.core.api.people import person_from
from tandem.core.api.schemas import VersionIn
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
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
PATH = "/partnerships/{partnership_id}/ideas"
ONE = f"{PATH}/{{idea_id}}"
STATUS_ORDER = Case(
    *(When(status=status, then=Value(n)) for n, status in enumerate(IdeaStatus.values)),
    output_field=IntegerField(),
)


def _linked(actor: Actor, idea: Idea) -> Idea:
    """The idea as saved, with what it became read through the actor's scope (a rock made
    internal since is not shown to the partner's side)."""
    ideas = Idea.objects.visible_to(actor).select_related("owner")
    return selectors.with_places(selectors.with_links(ideas, actor), actor).get(pk=idea.pk)


@operation(
    router, "get", PATH, level="partnership", program=True, paginated=True, response=list[IdeaOut]
)
def list_ideas(
    request: TandemRequest,
    partnership: Scope,
    horizon: HorizonValue | None = None,
    status: StatusValue | None = None,
) -> Any:
    """List ideas: open ones first (tactical, then strategic, in priority order)"""
    actor = request.actor
    ideas = selectors.with_places(
        selectors.with_links(selectors.ideas_for(actor, partnership), actor), actor
    )
    if horizon:
        ideas = ideas.filter(horizon=horizon)
    if status:
        ideas = ideas.filter(status=status)
    return ideas.order_by(STATUS_ORDER.asc(), "horizon", "position", "-closed_at", "id")


# The board: its limit and its groups' owners.
on_board = partial(operation, router, path=f"{PATH}/board", program=True, response=BoardOut)


@on_board("get", level="partnership")
def get_board(request: TandemRequest, partnership: Scope) -> Any:
    """The commit limit, how many are committed, and the owner of each group"""
    return _board_out(request.actor, partnership, services.board_of(partnership))


@on_board("patch", level="partnership_manage")
def update_board(request: TandemRequest, partnership: Scope, payload: BoardPatch) -> Any:
    """Change the commit limit or the group owners (members of the workspace)"""
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
    PATH,
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


# What a person does to one idea: anyone who sees it, on either side; each answers the idea
# as saved.
on_idea = partial(
    operation,
    router,
    "post",
    level="partnership",
    program=True,
    item=IDEAS,
    related=("owner",),
    response=IdeaOut,
)


@on_idea(f"{ONE}/commit")
def commit_idea(request: TandemRequest, scope: Scope, item: Idea, payload: VersionIn) -> Any:
    """Commit to an idea; refused with 409 when the partnership is at its limit"""
    services.idea_commit(item, actor=request.actor, version=payload.version)
    return _linked(request.actor, item)


@on_idea(f"{ONE}/release", summary="Put a committed idea back in the backlog")
def release_idea(request: TandemRequest, scope: Scope, item: Idea, payload: VersionIn) -> Any:
    services.idea_release(item, actor=request.actor, version=payload.version)
    return _linked(request.actor, item)


@on_idea(f"{ONE}/done", summary="Mark an idea done (it frees its committed place)")
def finish_idea(request: TandemRequest, scope: Scope, item: Idea, payload: VersionIn) -> Any:
    services.idea_finish(item, actor=request.actor, version=payload.version)
    return _linked(request.actor, item)


@on_idea(f"{ONE}/move", summary="Move an idea one place up or down its group's priority order")
def move_idea(request: TandemRequest, scope: Scope, item: Idea, payload: IdeaMoveIn) -> Any:
    services.idea_move(item, actor=request.actor, direction=payload.direction)
    return _linked(request.actor, item)


@on_idea(f"{ONE}/convert")
def convert_idea(request: TandemRequest, scope: Scope, item: Idea, payload: IdeaConvertIn) -> Any:
    """Turn an idea into a rock (this quarter) or a to-do (due in 7 days)"""
    services.idea_convert(item, actor=request.actor, version=payload.version, into=payload.into)
    return _linked(request.actor, item)
