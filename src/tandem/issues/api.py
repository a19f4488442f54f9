"""Issues over HTTP: the same services as the pages."""

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.api.pagination import Pages
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, Version, VersionIn
from tandem.core.api.scope import ScopeId, scope_from
from tandem.core.params import SearchText
from tandem.core.scope import item_for
from tandem.issues import selectors, services
from tandem.issues.models import Issue, Term
from tandem.issues.schemas import (
    ApplyVotesIn,
    ApplyVotesOut,
    IssueIn,
    IssueOut,
    IssuePatch,
    MoveIn,
    RankIn,
    SolveIn,
    VoteIn,
    VoteOut,
)
from tandem.traction.models import Todo

router = Router(tags=["Issues"])
ACCESS = {"x-access": "partnership"}


def _as_seen(actor: Any, issue: Issue) -> Issue:
    """The issue as the caller may see it: its to-dos filtered like every list, its place
    counted among the issues the caller sees."""
    seen = (
        Issue.objects.select_related("owner")
        .prefetch_related(Prefetch("todos", queryset=Todo.objects.visible_to(actor).only("id")))
        .get(pk=issue.pk)
    )
    seen.place = selectors.place_of(actor, seen)  # type: ignore[attr-defined]
    return seen


def _issue(request: HttpRequest, partnership_id: str, issue_id: int) -> tuple[Any, Issue]:
    actor, partnership = scope_from(request, partnership_id)
    return actor, item_for(Issue.objects.select_related("owner"), actor, partnership, issue_id)


@router.get(
    "/partnerships/{partnership_id}/issues",
    response=list[IssueOut],
    openapi_extra=ACCESS,
    summary="List issues: an open list in rank order, or the solved ones (newest first)",
)
@paginate(Pages)
def list_issues(
    request: HttpRequest,
    partnership_id: ScopeId,
    list: Term = Term.SHORT,  # noqa: A002 - the query parameter's name
    solved: bool = False,
    q: SearchText = "",
) -> Any:
    actor, partnership = scope_from(request, partnership_id)
    if solved:
        issues = selectors.solved_issues(actor, partnership, q)
    else:
        issues = selectors.open_issues(actor, partnership, list)
    return issues.prefetch_related(
        Prefetch("todos", queryset=Todo.objects.visible_to(actor).only("id"))
    )


@router.post(
    "/partnerships/{partnership_id}/issues",
    response={201: IssueOut},
    openapi_extra=ACCESS,
    summary="Raise an issue (at the bottom of its list; owner defaults to you)",
)
def create_issue(request: HttpRequest, partnership_id: ScopeId, payload: IssueIn) -> Any:
    actor, partnership = scope_from(request, partnership_id)
    issue = services.issue_create(
        actor=actor, partnership=partnership, **person_from(payload.dict())
    )
    return Status(201, _as_seen(actor, issue))


@router.post(
    "/partnerships/{partnership_id}/issues/apply-votes",
    response=ApplyVotesOut,
    openapi_extra=ACCESS,
    summary="Rank a list by its votes (most first) and clear them for the next round",
)
def apply_votes(request: HttpRequest, partnership_id: ScopeId, payload: ApplyVotesIn) -> Any:
    actor, partnership = scope_from(request, partnership_id)
    counted = services.apply_votes(actor=actor, partnership=partnership, term=payload.list)
    return {"votes_counted": counted}


@router.patch(
    "/partnerships/{partnership_id}/issues/{issue_id}",
    response=IssueOut,
    openapi_extra=ACCESS,
    summary="Change an issue (send the version you read); a new list puts it at the bottom",
)
def update_issue(
    request: HttpRequest, partnership_id: ScopeId, issue_id: Id, payload: IssuePatch
) -> Any:
    actor, issue = _issue(request, partnership_id, issue_id)
    values = person_from(payload.dict(exclude={"version"}, exclude_unset=True))
    refuse_nulls(values, ("title", "details", "term", "visibility"))
    services.issue_update(issue, actor=actor, version=payload.version, **values)
    return _as_seen(actor, issue)


@router.post(
    "/partnerships/{partnership_id}/issues/{issue_id}/rank",
    response=IssueOut,
    openapi_extra=ACCESS,
    summary="Move an open issue to a place in its list (1 = top)",
)
def rank_issue(request: HttpRequest, partnership_id: ScopeId, issue_id: Id, payload: RankIn) -> Any:
    actor, issue = _issue(request, partnership_id, issue_id)
    return _as_seen(actor, services.issue_rank(issue, actor=actor, position=payload.position))


@router.post(
    "/partnerships/{partnership_id}/issues/{issue_id}/vote",
    response=VoteOut,
    openapi_extra=ACCESS,
    summary="Vote for an open issue (vote=false takes it back); three votes a person a list",
)
def vote_issue(request: HttpRequest, partnership_id: ScopeId, issue_id: Id, payload: VoteIn) -> Any:
    actor, issue = _issue(request, partnership_id, issue_id)
    return {"votes_left": services.issue_vote(issue, actor=actor, vote=payload.vote)}


@router.post(
    "/partnerships/{partnership_id}/issues/{issue_id}/solve",
    response=IssueOut,
    openapi_extra=ACCESS,
    summary="Solve an issue: record the decision and create its to-dos, all or nothing",
)
def solve_issue(
    request: HttpRequest, partnership_id: ScopeId, issue_id: Id, payload: SolveIn
) -> Any:
    actor, issue = _issue(request, partnership_id, issue_id)
    new_todos = [services.NewTodo(**person_from(todo.dict())) for todo in payload.todos]
    services.issue_solve(
        issue,
        actor=actor,
        version=payload.version,
        decision=payload.decision,
        new_todos=new_todos,
    )
    return _as_seen(actor, issue)


@router.post(
    "/partnerships/{partnership_id}/issues/{issue_id}/reopen",
    response=IssueOut,
    openapi_extra=ACCESS,
    summary="Reopen a solved issue (at the bottom of its list)",
)
def reopen_issue(
    request: HttpRequest, partnership_id: ScopeId, issue_id: Id, payload: VersionIn
) -> Any:
    actor, issue = _issue(request, partnership_id, issue_id)
    return _as_seen(actor, services.issue_reopen(issue, actor=actor, version=payload.version))


@router.post(
    "/partnerships/{partnership_id}/issues/{issue_id}/move",
    response=IssueOut,
    openapi_extra={"x-access": "partnership_manage"},
    summary="Move an open issue to another partnership of the workspace, or the program level",
)
def move_issue(request: HttpRequest, partnership_id: ScopeId, issue_id: Id, payload: MoveIn) -> Any:
    actor, partnership = scope_from(request, partnership_id, level="manage")
    issue = item_for(Issue.objects.select_related("owner"), actor, partnership, issue_id)
    destination = services.destination_for(actor, issue, payload.destination)
    services.issue_move(issue, actor=actor, version=payload.version, destination=destination)
    return _as_seen(actor, issue)


@router.delete(
    "/partnerships/{partnership_id}/issues/{issue_id}",
    response={204: None},
    openapi_extra=ACCESS,
    summary="Delete an issue (send the version you read)",
)
def delete_issue(
    request: HttpRequest, partnership_id: ScopeId, issue_id: Id, version: Version
) -> Any:
    actor, issue = _issue(request, partnership_id, issue_id)
    services.issue_delete(issue, actor=actor, version=version)
    return Status(204, None)
