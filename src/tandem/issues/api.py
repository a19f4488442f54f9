"""Issues over HTTP: the item type's operations (``services.ISSUES``), and ranking, voting,
solving, reopening and moving an issue."""

from typing import Any

from django.db.models import Prefetch
from ninja import Router

from tandem.core.access import Actor
from tandem.core.api.items import item_api, operation
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, VersionIn
from tandem.core.http import TandemRequest
from tandem.core.params import SearchText
from tandem.core.scope import Scope, item_for
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
    seen = (
        Issue.objects.select_related("owner")
        .prefetch_related(Prefetch("todos", queryset=Todo.objects.visible_to(actor).only("id")))
        .get(pk=issue.pk)
    )
    seen.place = selectors.place_of(actor, seen)  # type: ignore[attr-defined]
    return seen


def _issue(request: TandemRequest, scope: Scope, issue_id: int) -> Issue:
    return item_for(Issue.objects.select_related("owner"), request.actor, scope, issue_id)


@operation(
    router,
    "get",
    PATH,
    level="partnership",
    program=True,
    paginated=True,
    response=list[IssueOut],
    summary="List issues: an open list in rank order, or the solved ones (newest first)",
)
def list_issues(
    request: TandemRequest,
    partnership: Scope,
    list: Term = Term.SHORT,  # noqa: A002 - the query parameter's name
    solved: bool = False,
    q: SearchText = "",
) -> Any:
    actor = request.actor
    if solved:
        issues = selectors.solved_issues(actor, partnership, q)
    else:
        issues = selectors.open_issues(actor, partnership, list)
    return issues.prefetch_related(
        Prefetch("todos", queryset=Todo.objects.visible_to(actor).only("id"))
    )


@operation(
    router,
    "post",
    f"{PATH}/apply-votes",
    level="partnership",
    program=True,
    response=ApplyVotesOut,
    summary="Rank a list by its votes (most first) and clear them for the next round",
)
def apply_votes(request: TandemRequest, partnership: Scope, payload: ApplyVotesIn) -> Any:
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


@operation(
    router,
    "post",
    f"{ONE}/rank",
    level="partnership",
    program=True,
    item="issue_id",
    response=IssueOut,
    summary="Move an open issue to a place in its list (1 = top)",
)
def rank_issue(request: TandemRequest, scope: Scope, item_id: Id, payload: RankIn) -> Any:
    issue = _issue(request, scope, item_id)
    services.issue_rank(issue, actor=request.actor, position=payload.position)
    return _as_seen(request.actor, issue)


@operation(
    router,
    "post",
    f"{ONE}/vote",
    level="partnership",
    program=True,
    item="issue_id",
    response=VoteOut,
    summary="Vote for an open issue (vote=false takes it back); three votes a person a list",
)
def vote_issue(request: TandemRequest, scope: Scope, item_id: Id, payload: VoteIn) -> Any:
    issue = _issue(request, scope, item_id)
    return {"votes_left": services.issue_vote(issue, actor=request.actor, vote=payload.vote)}


@operation(
    router,
    "post",
    f"{ONE}/solve",
    level="partnership",
    program=True,
    item="issue_id",
    response=IssueOut,
    summary="Solve an issue: record the decision and create its to-dos, all or nothing",
)
def solve_issue(request: TandemRequest, scope: Scope, item_id: Id, payload: SolveIn) -> Any:
    issue = _issue(request, scope, item_id)
    new_todos = [services.NewTodo(**person_from(todo.dict())) for todo in payload.todos]
    services.issue_solve(
        issue,
        actor=request.actor,
        version=payload.version,
        decision=payload.decision,
        new_todos=new_todos,
    )
    return _as_seen(request.actor, issue)


@operation(
    router,
    "post",
    f"{ONE}/reopen",
    level="partnership",
    program=True,
    item="issue_id",
    response=IssueOut,
    summary="Reopen a solved issue (at the bottom of its list)",
)
def reopen_issue(request: TandemRequest, scope: Scope, item_id: Id, payload: VersionIn) -> Any:
    issue = _issue(request, scope, item_id)
    services.issue_reopen(issue, actor=request.actor, version=payload.version)
    return _as_seen(request.actor, issue)


@operation(
    router,
    "post",
    f"{ONE}/move",
    level="partnership_manage",
    program=True,
    item="issue_id",
    response=IssueOut,
    summary="Move an open issue to another partnership of the workspace, or the program level",
)
def move_issue(request: TandemRequest, scope: Scope, item_id: Id, payload: MoveIn) -> Any:
    actor = request.actor
    issue = _issue(request, scope, item_id)
    destination = services.destination_for(actor, issue, payload.destination)
    services.issue_move(issue, actor=actor, version=payload.version, destination=destination)
    return _as_seen(actor, issue)
