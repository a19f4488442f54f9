"""Changing the ideas backlog. Pages and the API both call these.

Seed 001: ideas are sorted into short-term tactical and long-term strategic groups, each with
its own owner, listed in priority order, and only a few are committed at a time. An idea
that is taken up becomes a rock or a to-do in one step and keeps the link to it.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.errors import InvalidInput
from tandem.core.policy import check_owner, item_values, people_of, require_open
from tandem.core.scope import scope_of
from tandem.ideas.models import (
    MAX_COMMIT_LIMIT,
    OPEN_STATUSES,
    Idea,
    IdeaBoard,
    IdeaStatus,
)
from tandem.ideas.selectors import committed_count
from tandem.partners.models import Horizon
from tandem.traction import rocks as rock_services
from tandem.traction import services as todo_services

IDEA_FIELDS = Idea.concurrency_fields
BOARD_FIELDS = IdeaBoard.concurrency_fields


class CommitLimitReached(InvalidInput):
    """Committing one more idea would break the partnership's limit (seed 001: "only commit
    to a few at a time"). 409: the request is fine, the backlog's state refuses it."""

    status = 409
    title = "Commit limit reached"


# --- The board (settings) ------------------------------------------------------------------


def board_of(scope: Any) -> IdeaBoard:
    """The board of a partnership or the program; an unsaved one with the defaults when
    nobody has changed them yet (reading never writes)."""
    board = (
        IdeaBoard.objects.filter(workspace_id=scope.workspace_id, partnership_id=scope.id)
        .select_related("tactical_owner", "strategic_owner")
        .first()
    )
    return board or IdeaBoard(workspace_id=scope.workspace_id, partnership_id=scope.id)


def _locked_board(scope: Any) -> IdeaBoard:
    """The board row, created on first use and locked until the transaction ends: whatever
    counts committed ideas or hands out positions holds it, so two requests at once queue."""
    lookup = {"workspace_id": scope.workspace_id, "partnership_id": scope.id}
    board = IdeaBoard.objects.select_for_update().filter(**lookup).first()
    if board is None:
        try:
            with transaction.atomic():
                IdeaBoard.objects.create(**lookup)
        except IntegrityError:
            pass  # someone else created it a moment ago
        board = IdeaBoard.objects.select_for_update().get(**lookup)
    return board


def board_update(
    *, actor: Actor, partnership: Any, version: int | None, **changes: Any
) -> IdeaBoard:
    """Change the commit limit or the group owners. The workspace decides how much it can
    take on at once (seed 001, "evaluate your resources"): members only."""
    actor.require(actor.is_member(partnership.workspace_id))
    require_open(partnership)
    unknown = set(changes) - set(BOARD_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    limit = changes.get("commit_limit")
    if "commit_limit" in changes and (limit is None or not 1 <= int(limit) <= MAX_COMMIT_LIMIT):
        raise InvalidInput(
            "Please correct the highlighted fields.",
            errors={"commit_limit": [f"Choose a limit from 1 to {MAX_COMMIT_LIMIT}."]},
        )
    errors: dict[str, list[str]] = {}
    for name in ("tactical_owner", "strategic_owner"):
        person = changes.get(name)
        if person is not None and not people_of(partnership).filter(pk=person.pk).exists():
            errors[name] = ["Choose someone from this partnership."]
    if errors:
        raise InvalidInput("Please correct the highlighted fields.", errors=errors)
    with transaction.atomic():
        # A board nobody has changed yet is created here with version 1, the version the
        # page showed for the defaults.
        board = _locked_board(partnership)
        core.update(board, actor=actor, version=version, changes=changes)
    return board


# --- Ideas ---------------------------------------------------------------------------------


def _next_position(scope: Any, horizon: str) -> int:
    last = (
        Idea.objects.filter(
            workspace_id=scope.workspace_id,
            partnership_id=scope.id,
            horizon=horizon,
            status__in=OPEN_STATUSES,
        )
        .aggregate(last=Max("position"))
        .get("last")
    )
    return 0 if last is None else last + 1


def _check_horizon(horizon: str) -> None:
    if horizon not in Horizon.values:
        raise InvalidInput(
            "Please correct the highlighted fields.",
            errors={"horizon": ["Choose short-term tactical or long-term strategic."]},
        )


def idea_create(
    *,
    actor: Actor,
    partnership: Any,
    title: str,
    horizon: str = Horizon.TACTICAL,
    owner: User | None = None,
    details: str = "",
    visibility: str = Visibility.SHARED,
) -> Idea:
    """Capture an idea in one line. It goes to the bottom of its group, owned by the group's
    owner (or whoever adds it) unless someone is named."""
    actor.require(actor.can_see_partnership(partnership))
    require_open(partnership)
    _check_horizon(horizon)
    values = item_values(actor, partnership, {"visibility": visibility})
    with transaction.atomic():
        board = _locked_board(partnership)
        if owner is None:
            owner = board.owner_of(horizon) or actor.user  # type: ignore[assignment]
            if (
                owner is not None
                and not people_of(partnership, visibility=values["visibility"])
                .filter(pk=owner.pk)
                .exists()
            ):
                owner = actor.user  # the group's owner cannot see an internal idea
        check_owner(partnership, owner, values["visibility"])
        idea = Idea(
            workspace_id=partnership.workspace_id,
            partnership_id=partnership.id,
            title=(title or "").strip(),
            details=details or "",
            horizon=horizon,
            owner=owner,
            visibility=values["visibility"],
            position=_next_position(partnership, horizon),
        )
        core.create(idea, actor=actor, fields=("title", "horizon", "owner", "visibility"))
    return idea


def _require_open_idea(idea: Idea) -> None:
    if not idea.is_open:
        raise InvalidInput(
            f"“{idea.title}” is already {idea.get_status_display().lower()}; it can't be"
            " changed from the backlog any more."
        )


def idea_update(idea: Idea, *, actor: Actor, version: int | None, **changes: Any) -> Idea:
    """Edit an idea; moving it to the other group puts it at the bottom of that group."""
    actor.require(actor.can_change(idea))
    scope = scope_of(idea)
    require_open(scope)
    unknown = set(changes) - set(IDEA_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    changes = item_values(actor, scope, changes)
    if "horizon" in changes:
        _check_horizon(changes["horizon"])
    if "owner" in changes and changes["owner"] != idea.owner or "visibility" in changes:
        check_owner(
            scope, changes.get("owner", idea.owner), changes.get("visibility", idea.visibility)
        )
    with transaction.atomic():
        if changes.get("horizon", idea.horizon) != idea.horizon:
            _locked_board(scope)
            changes["position"] = _next_position(scope, changes["horizon"])
        core.update(idea, actor=actor, version=version, changes=changes)
    return idea


def limit_message(scope: Any, committed: int, limit: int) -> str:
    ideas = "idea" if committed == 1 else "ideas"
    return (
        f"{scope.name} already has {committed} committed {ideas} — the limit is {limit}."
        " Finish or release one first, or raise the limit."
    )


def idea_commit(idea: Idea, *, actor: Actor, version: int | None) -> Idea:
    """Commit to an idea, if the partnership has room: the count and the change happen
    under the board's lock, so two people committing at once cannot both pass the limit."""
    actor.require(actor.can_change(idea))
    scope = scope_of(idea)
    require_open(scope)
    core.check_version(idea, version)
    if idea.is_committed:
        return idea
    _require_open_idea(idea)
    with transaction.atomic():
        board = _locked_board(scope)
        committed = committed_count(scope)
        if committed >= board.commit_limit:
            raise CommitLimitReached(limit_message(scope, committed, board.commit_limit))
        core.update(
            idea,
            actor=actor,
            version=version,
            changes={"status": IdeaStatus.COMMITTED, "committed_at": timezone.now()},
            verb="committed idea",
        )
    return idea


def idea_release(idea: Idea, *, actor: Actor, version: int | None) -> Idea:
    """Put a committed idea back in the backlog, keeping its place in the group."""
    actor.require(actor.can_change(idea))
    require_open(scope_of(idea))
    core.check_version(idea, version)
    if idea.status == IdeaStatus.BACKLOG:
        return idea
    _require_open_idea(idea)
    core.update(
        idea,
        actor=actor,
        version=version,
        changes={"status": IdeaStatus.BACKLOG, "committed_at": None},
        verb="released idea",
    )
    return idea


def idea_finish(idea: Idea, *, actor: Actor, version: int | None) -> Idea:
    """Mark an idea done: it leaves the groups and frees its committed place."""
    actor.require(actor.can_change(idea))
    require_open(scope_of(idea))
    core.check_version(idea, version)
    if idea.status == IdeaStatus.DONE:
        return idea
    _require_open_idea(idea)
    core.update(
        idea,
        actor=actor,
        version=version,
        changes={"status": IdeaStatus.DONE, "closed_at": timezone.now()},
        verb="finished idea",
    )
    return idea


def idea_move(idea: Idea, *, actor: Actor, direction: str) -> Idea:
    """Move an idea one place up or down its group's priority order (as the actor sees
    the group: it changes places with the nearest idea they can see). A relative move needs
    no version: "one up" means the same whatever else changed."""
    actor.require(actor.can_change(idea))
    scope = scope_of(idea)
    require_open(scope)
    if direction not in ("up", "down"):
        raise InvalidInput("Move an idea up or down.", errors={"direction": ["up or down"]})
    with transaction.atomic():
        _locked_board(scope)
        current = Idea.objects.filter(pk=idea.pk).values_list("position", "status").first()
        if current is None or current[1] not in OPEN_STATUSES:
            raise InvalidInput("Only ideas in the backlog or committed have a place in order.")
        position = current[0]
        group = (
            Idea.objects.visible_to(actor)
            .filter(
                workspace_id=idea.workspace_id,
                partnership_id=idea.partnership_id,
                horizon=idea.horizon,
                status__in=OPEN_STATUSES,
            )
            .exclude(pk=idea.pk)
        )
        if direction == "up":
            neighbour = (
                group.filter(position__lte=position)
                .exclude(position=position, id__gt=idea.pk)
                .order_by("-position", "-id")
                .first()
            )
        else:
            neighbour = (
                group.filter(position__gte=position)
                .exclude(position=position, id__lt=idea.pk)
                .order_by("position", "id")
                .first()
            )
        if neighbour is None:
            idea.position = position
            return idea  # already first (or last): nothing to do
        # Places are handed out one by one under the board's lock, so they never tie.
        mine, theirs = neighbour.position, position
        Idea.objects.filter(pk=idea.pk).update(position=mine)
        Idea.objects.filter(pk=neighbour.pk).update(position=theirs)
        idea.position = mine
        core.record(
            actor=actor,
            verb="raised the priority of" if direction == "up" else "lowered the priority of",
            target=idea,
            changes={"priority": ["", f"{'above' if direction == 'up' else 'below'} {neighbour}"]},
            # The entry names the neighbour: if that one is (or becomes) internal, so is it.
            visibility=Visibility.INTERNAL
            if Visibility.INTERNAL in {idea.visibility, neighbour.visibility}
            else Visibility.SHARED,
            mentions=[neighbour],
        )
    return idea


def _owner_for_work(idea: Idea, scope: Any) -> User | None:
    """The idea's owner takes the work on, if they still can; otherwise whoever converts."""
    owner = idea.owner
    if owner and people_of(scope, visibility=idea.visibility).filter(pk=owner.pk).exists():
        return owner
    return None


def idea_convert(idea: Idea, *, actor: Actor, version: int | None, into: str) -> Idea:
    """Turn an idea into a rock (this quarter) or a to-do (due in 7 days) in one step: the
    new item takes its title, details, owner and visibility, and the idea keeps a link to it.
    Both happen or neither does."""
    actor.require(actor.can_change(idea))
    scope = scope_of(idea)
    require_open(scope)
    if into not in ("rock", "todo"):
        raise InvalidInput("Turn an idea into a rock or a to-do.", errors={"into": ["rock, todo"]})
    _require_open_idea(idea)
    with transaction.atomic():
        values = {
            "actor": actor,
            "partnership": scope,
            "title": idea.title,
            "details": idea.details,
            "owner": _owner_for_work(idea, scope),
            "visibility": idea.visibility,
        }
        changes: dict[str, Any] = {"status": IdeaStatus.CONVERTED, "closed_at": timezone.now()}
        if into == "rock":
            changes["rock"] = rock_services.rock_create(**values)
        else:
            changes["todo"] = todo_services.todo_create(**values)
        core.update(
            idea,
            actor=actor,
            version=version,
            changes=changes,
            verb="made a rock of idea" if into == "rock" else "made a to-do of idea",
        )
    return idea


def idea_delete(idea: Idea, *, actor: Actor, version: int | None) -> None:
    actor.require(actor.can_change(idea))
    require_open(scope_of(idea))
    core.delete(idea, actor=actor, version=version)
