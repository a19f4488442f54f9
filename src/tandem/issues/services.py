"""Changing issues: add, rank, vote, solve into to-dos, move, reopen. Pages and the API both
call these.

Each open list (a scope's short-term or long-term issues) is kept in rank order 1..n: a new
issue joins at the bottom, and moving one rewrites the ranks of that list in one statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.accounts.models import User, Workspace
from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.errors import InvalidInput
from tandem.core.items import VIEW, ItemType, checks, text_fields
from tandem.core.policy import people_of, require_open
from tandem.core.scope import Program, Scope, partnership_for, scope_of
from tandem.issues.forms import IssueForm
from tandem.issues.models import VOTES_PER_PERSON, Issue, Term, Vote
from tandem.traction import services as todos


def open_list(scope: Scope, term: str) -> QuerySet[Issue]:
    """The open issues of one list, in rank order (not filtered for an actor: services use
    it to keep ranks whole, pages read through ``selectors``)."""
    return Issue.objects.in_scope(scope).filter(solved_at__isnull=True, term=term)


def _bottom(scope: Scope, term: str) -> int:
    return (open_list(scope, term).aggregate(last=Max("rank"))["last"] or 0) + 1


def _check_term(term: str) -> None:
    if term not in Term.values:
        raise InvalidInput.on("term", "Choose the short-term or the long-term list.")


def _check(values: dict[str, Any]) -> None:
    if "term" in values:
        _check_term(values["term"])
    if "details" in values:
        values["details"] = values["details"] or ""


def _place(actor: Actor, scope: Scope, values: dict[str, Any], issue: Issue | None) -> None:
    """A new issue joins the bottom of its list, owned by whoever raises it unless they name
    someone; one moved to the other list goes to the bottom there and loses its votes."""
    if issue is None:
        values.setdefault("visibility", Visibility.SHARED)
        if values.get("owner") is None:
            values["owner"] = actor.user
        values["rank"] = _bottom(scope, values.get("term", Term.SHORT))
    elif values.get("term", issue.term) != issue.term and not issue.is_solved:
        values["rank"] = _bottom(scope, values["term"])
        Vote.objects.filter(issue=issue).delete()


def _after_update(issue: Issue, actor: Actor, before: dict[str, Any]) -> None:
    if issue.visibility == Visibility.INTERNAL:
        # Partner-side people cannot see it any more, nor take their vote back.
        Vote.objects.filter(issue=issue).exclude(
            voter__memberships__workspace_id=issue.workspace_id
        ).delete()
    if before.get("term", issue.term) != issue.term:
        _rewrite_ranks(list(open_list(scope_of(issue), before["term"]).only("id", "rank")))


def _close_gap(issue: Issue, actor: Actor) -> None:
    _rewrite_ranks(list(open_list(scope_of(issue), issue.term).only("id", "rank")))


# Seed 000 (IDS): each open list is kept in rank order; adding, editing and deleting follow
# from the declaration, ranking, voting, solving and moving are below.
ISSUES = ItemType(
    model=Issue,
    name="issue",
    label="issue",
    form=IssueForm,
    program=True,
    delete=VIEW,
    check=checks(text_fields("title"), _check),
    validate=_place,
    after_update=_after_update,
    after_remove=_close_gap,
    logged=("title", "owner", "term", "visibility"),
)

issue_create = ISSUES.create
issue_update = ISSUES.update
issue_delete = ISSUES.remove


def _rewrite_ranks(issues: list[Issue]) -> None:
    """Number the list 1..n in the given order, writing only the rows that change."""
    changed = []
    for position, item in enumerate(issues, start=1):
        if item.rank != position:
            item.rank = position
            changed.append(item)
    if changed:
        Issue.objects.bulk_update(changed, ["rank"])


def issue_rank(issue: Issue, *, actor: Actor, position: int) -> Issue:
    """Move an open issue to ``position`` (1 = top) of its list as the actor sees it."""
    actor.require(actor.can_change(issue))
    scope = scope_of(issue)
    require_open(scope)
    if issue.is_solved:
        raise InvalidInput("This issue is solved; reopen it to rank it again.")
    with transaction.atomic():
        # Everyone's view of the list is ranked together, including internal issues a
        # partner-side person cannot see. The position is a place in the list the mover
        # sees (their numbers skip what they cannot see); the issue lands next to the one
        # they dropped it on, and everything else keeps its order.
        rows = list(
            open_list(scope, issue.term)
            .select_for_update()
            .only("id", "rank", "workspace_id", "partnership_id", "visibility")
        )
        seen = [row for row in rows if actor.can_see(row)]
        ids = [row.pk for row in seen]
        if issue.pk not in ids:
            return issue
        old = ids.index(issue.pk) + 1
        position = max(1, min(int(position), len(seen)))
        if position == old:
            return issue
        moving = seen[old - 1]
        target = seen[position - 1]
        before = _places_for_everyone(rows, issue)
        rows.remove(moving)
        at = rows.index(target)
        rows.insert(at if position < old else at + 1, moving)
        _rewrite_ranks(rows)
        issue.rank = moving.rank
        core.record(
            actor=actor,
            verb="ranked",
            target=issue,
            changes={"rank": [f"#{before}", f"#{_places_for_everyone(rows, issue)}"]},
        )
    return issue


def _places_for_everyone(rows: list[Issue], issue: Issue) -> int:
    """The issue's number in the list as every reader of its activity entry sees it: among
    the shared issues when it is shared (a partner's numbers skip internal ones), else
    among all."""
    if issue.visibility == Visibility.SHARED:
        rows = [row for row in rows if row.visibility == Visibility.SHARED]
    return [row.pk for row in rows].index(issue.pk) + 1


def issue_vote(issue: Issue, *, actor: Actor, vote: bool) -> int:
    """Give (or take back) a vote. Each person has three per list; the fourth is refused.
    Returns how many votes the person has left on that list."""
    actor.require(actor.can_see(issue))
    voter = actor.user
    assert voter is not None  # nobody anonymous sees an issue
    scope = scope_of(issue)
    require_open(scope)
    if issue.is_solved:
        raise InvalidInput("This issue is solved already.")
    with transaction.atomic():
        # Lock the list first: two votes at once cannot both count the same two before.
        list(open_list(scope, issue.term).select_for_update().values_list("pk", flat=True))
        mine = Vote.objects.filter(
            voter=voter,
            issue__in=open_list(scope, issue.term).values("pk"),
        )
        used = {vote.issue_id for vote in mine}
        if vote and issue.pk not in used:
            if len(used) >= VOTES_PER_PERSON:
                raise InvalidInput(
                    f"You have used your {VOTES_PER_PERSON} votes on this list. Take one back"
                    " to vote for this issue."
                )
            Vote.objects.create(issue=issue, voter=voter)
            used.add(issue.pk)
        elif not vote and issue.pk in used:
            Vote.objects.filter(issue=issue, voter=voter).delete()
            used.discard(issue.pk)
        else:
            return VOTES_PER_PERSON - len(used)
        core.touch(issue.workspace_id, issue.partnership_id)
    return VOTES_PER_PERSON - len(used)


def apply_votes(*, actor: Actor, partnership: Scope, term: str) -> int:
    """Rank the list by votes (most first; ties keep their order) and clear the votes for
    the next round. Returns the number of votes counted on the issues the actor sees."""
    actor.require(actor.can_see_partnership(partnership))
    require_open(partnership)
    _check_term(term)
    with transaction.atomic():
        rows = list(
            open_list(partnership, term)
            .select_for_update()
            .only("id", "rank", "title", "workspace_id", "partnership_id", "visibility")
        )
        counts = dict(
            Vote.objects.filter(issue__in=[row.pk for row in rows])
            .values_list("issue_id")
            .annotate(n=Count("id"))
        )
        total = sum(counts.values())
        if not total:
            return 0
        rows.sort(key=lambda row: (-counts.get(row.pk, 0), row.rank, row.pk))
        _rewrite_ranks(rows)
        Vote.objects.filter(issue__in=[row.pk for row in rows]).delete()
        core.touch(partnership.workspace_id, partnership.id)
        top = rows[0]
        core.record(
            actor=actor,
            verb="ranked by votes",
            target=top,
            visibility=Visibility.SHARED
            if all(row.visibility == Visibility.SHARED for row in rows)
            else Visibility.INTERNAL,
            changes={"votes": ["", str(total)]},
        )
    return sum(counts.get(row.pk, 0) for row in rows if actor.can_see(row))


@dataclass
class NewTodo:
    """A to-do that comes out of solving an issue."""

    title: str
    owner: User | None = None
    due_on: date | None = None


def issue_solve(
    issue: Issue,
    *,
    actor: Actor,
    version: int | None,
    decision: str,
    new_todos: list[NewTodo] | tuple[NewTodo, ...] = (),
) -> Issue:
    """Record the decision and create its to-dos (same scope and visibility as the issue),
    all or nothing."""
    actor.require(actor.can_change(issue))
    scope = scope_of(issue)
    require_open(scope)
    if issue.is_solved:
        raise InvalidInput("This issue is already solved.")
    decision = (decision or "").strip()
    if not decision:
        raise InvalidInput(
            "Please correct the highlighted fields.",
            errors={"decision": ["Write down what was decided."]},
        )
    longest = Issue._meta.get_field("decision").max_length or 5000
    if len(decision) > longest:
        raise InvalidInput(
            "Please correct the highlighted fields.",
            errors={"decision": [f"Keep the decision to {longest:,} characters."]},
        )
    with transaction.atomic():
        created = [
            todos.todo_create(
                actor=actor,
                partnership=scope,
                title=item.title,
                owner=item.owner,
                due_on=item.due_on,
                visibility=issue.visibility,
            )
            for item in new_todos
            if item.title.strip()
        ]
        core.update(
            issue,
            actor=actor,
            version=version,
            changes={"solved_at": timezone.now(), "solved_by": actor.user, "decision": decision},
            verb="solved",
        )
        if created:
            issue.todos.add(*created)
        Vote.objects.filter(issue=issue).delete()
        _rewrite_ranks(list(open_list(scope, issue.term).only("id", "rank")))
    return issue


def issue_reopen(issue: Issue, *, actor: Actor, version: int | None) -> Issue:
    """Put a solved issue back at the bottom of its list; its to-dos stay as they are."""
    actor.require(actor.can_change(issue))
    scope = scope_of(issue)
    require_open(scope)
    core.check_version(issue, version)
    if not issue.is_solved:
        return issue
    with transaction.atomic():
        core.update(
            issue,
            actor=actor,
            version=version,
            changes={"solved_at": None, "solved_by": None, "rank": _bottom(scope, issue.term)},
            verb="reopened",
        )
    return issue


def issue_move(issue: Issue, *, actor: Actor, version: int | None, destination: Any) -> Issue:
    """Move an open issue to another partnership of the same workspace, or to the program
    level, at the bottom of the same list there. Only workspace members move issues: they
    are the ones who see both places. An owner who is not part of the destination is
    cleared, and at the program level the issue becomes internal."""
    actor.require(actor.can_change(issue) and actor.is_member(issue.workspace_id))
    source = scope_of(issue)
    require_open(source)
    if issue.is_solved:
        raise InvalidInput("This issue is solved; reopen it before moving it.")
    if destination.workspace_id != issue.workspace_id or not actor.is_member(
        destination.workspace_id
    ):
        raise InvalidInput(
            "Choose a partnership of this workspace, or the program level.",
            errors={"destination": ["Choose a partnership of this workspace."]},
        )
    require_open(destination)
    core.check_version(issue, version)
    if destination.id == issue.partnership_id:
        return issue
    visibility = Visibility.INTERNAL if destination.is_program else issue.visibility
    owner = issue.owner
    if (
        owner is not None
        and not people_of(destination, visibility=visibility).filter(pk=owner.pk).exists()
    ):
        owner = None
    with transaction.atomic():
        # The entry lands in the destination and names where the issue came from (and its
        # owner there): members only, whatever the issue's visibility.
        core.update(
            issue,
            actor=actor,
            version=version,
            changes={
                "partnership": None if destination.is_program else destination,
                "visibility": visibility,
                "owner": owner,
                "rank": _bottom(destination, issue.term),
            },
            verb="moved",
            visibility=Visibility.INTERNAL,
        )
        Vote.objects.filter(issue=issue).delete()
        _rewrite_ranks(list(open_list(source, issue.term).only("id", "rank")))
        core.touch(source.workspace_id, source.id)
    return issue


def destination_for(actor: Actor, issue: Issue, value: str) -> Any:
    """The place an issue can be moved to, from a form or API value: ``program`` or the id
    of a partnership the actor manages."""
    if value == "program":
        return Program(_workspace(issue.workspace_id))
    try:
        return partnership_for(actor, value, level="manage")
    except Http404 as error:
        raise InvalidInput(
            "Choose a partnership of this workspace, or the program level.",
            errors={"destination": ["Choose a partnership of this workspace."]},
        ) from error


def _workspace(workspace_id: int) -> Any:
    return Workspace.objects.only("id", "name", "slug", "data_version").get(pk=workspace_id)
