"""Issues over HTTP: the item type's operations (``services.ISSUES``), and ranking, voting,
solving, reopening and moving an issue."""

from functools import partial
from typing import Any

from django.db.models import Prefetch
from ninja import Router

from tandem.core.access import Actor
from tandem.core.api.items import item_api, operation
from tandem.core.api.people import person_from
from tandem.core.api.schemas import VersionIn
from tandem.core.http import TandemRequest
from tandem.core.params import SearchText
from tandem.core.scope import Scope
from tandem.issues import selectors, services
from tandem.issues.models import Issue, Term
from tandem.issues.schemas import (
    ApplyVotesIn,
    ApplyVotesOut,
    IssueOut,
    MoveIn,
    RankIn,
    SolveIn,
    VoteIn,
    VoteOut,
)
from tandem.issues.services import ISSUES
from tandem.traction.models import Todo

router = Router(tags=["Issues"])
PATH = "/partnerships/{partnership_id}/issues"
ONE = f"{PATH}/{{issue_id}}"


def _as_seen(actor: Actor, issue: Issue) -> Issue:
    """The issue as the caller may see it: its to-dos filtered like every list, its place
    counted among the issues the caller sees."""
    seen = Issue.objects.select_related("owner").with_visible(actor, "todos").get(pk=issue.pk)
    seen.place = selectors.place_of(actor, seen)  # type: ignore[attr-defined]
    return seen


@operation(
    router, "get", PATH, level="partnership", program=True, paginated=True, response=list[IssueOut]
)
def list_issues(
    request: TandemRequest,
    partnership: Scope,
    list: Term = Term.SHORT,  # noqa: A002 - the query parameter's name
    solved: bool = False,
    q: SearchText = "",
) -> Any:
    """List issues: an open list in rank order, or the solved ones (newest first)"""
    actor = request.actor
    if solved:
        issues = selectors.solved_issues(actor, partnership, q)
    else:
        issues = selectors.open_issues(actor, partnership, list)
    return issues.prefetch_related(
        Prefetch("todos", queryset=Todo.objects.visible_to(actor).only("id"))
    )


@operation(
    router, "post", f"{PATH}/apply-votes", level="partnership", program=True, response=ApplyVotesOut
)
def apply_votes(request: TandemRequest, partnership: Scope, payload: ApplyVotesIn) -> Any:
    """Rank a list by its votes (most first) and clear them for the next round"""
    counted = services.apply_votes(actor=request.actor, partnership=partnership, term=payload.list)
    return {"votes_counted": counted}


item_api(
    ISSUES,
    router,
    PATH,
    out=IssueOut,
    read=_as_seen,
    with_list=False,
    summaries={
        "create": "Raise an issue (at the bottom of its list; owner defaults to you)",
        "patch": "Change an issue (send the version you read); a new list puts it at the bottom",
        "delete": "Delete an issue (send the version you read)",
    },
)


# What a person does to one issue: anyone who sees it, unless it says; most answer the issue
# as saved.
on_issue = partial(
    operation,
    router,
    "post",
    level="partnership",
    program=True,
    item=ISSUES,
    related=("owner",),
    response=IssueOut,
)


@on_issue(f"{ONE}/rank", summary="Move an open issue to a place in its list (1 = top)")
def rank_issue(request: TandemRequest, scope: Scope, item: Issue, payload: RankIn) -> Any:
    services.issue_rank(item, actor=request.actor, position=payload.position)
    return _as_seen(request.actor, item)


@on_issue(f"{ONE}/vote", response=VoteOut)
def vote_issue(request: TandemRequest, scope: Scope, item: Issue, payload: VoteIn) -> Any:
    """Vote for an open issue (vote=false takes it back); three votes a person a list"""
    return {"votes_left": services.issue_vote(item, actor=request.actor, vote=payload.vote)}


@on_issue(f"{ONE}/solve")
def solve_issue(request: TandemRequest, scope: Scope, item: Issue, payload: SolveIn) -> Any:
    """Solve an issue: record the decision and create its to-dos, all or nothing"""
    new_todos = [services.NewTodo(**person_from(todo.dict())) for todo in payload.todos]
    services.issue_solve(
        item,
        actor=request.actor,
        version=payload.version,
        decision=payload.decision,
        new_todos=new_todos,
    )
    return _as_seen(request.actor, item)


@on_issue(f"{ONE}/reopen", summary="Reopen a solved issue (at the bottom of its list)")
def reopen_issue(request: TandemRequest, scope: Scope, item: Issue, payload: VersionIn) -> Any:
    services.issue_reopen(item, actor=request.actor, version=payload.version)
    return _as_seen(request.actor, item)


@on_issue(f"{ONE}/move", level="partnership_manage")
def move_issue(request: TandemRequest, scope: Scope, item: Issue, payload: MoveIn) -> Any:
    """Move an open issue to another partnership of the workspace, or the program level"""
    actor = request.actor
    destination = services.destination_for(actor, item, payload.destination)
    services.issue_move(item, actor=actor, version=payload.version, destination=destination)
    return _as_seen(actor, item)
