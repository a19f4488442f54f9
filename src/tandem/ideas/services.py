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
from tandem.core.items import VIEW, ItemType, checks, text_fields
from tandem.core.policy import people_of, require_open
from tandem.core.scope import Scope, scope_of
from tandem.ideas.forms import IdeaForm
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

BOARD_FIELDS = IdeaBoard.concurrency_fields


class CommitLimitReached(InvalidInput):
    """Committing one more idea would break the partnership's limit (seed 001: "only commit
    to a few at a time"). 409: the request is fine, the backlog's state refuses it."""

    status = 409
    title = "Commit limit reached"


# --- The board (settings) ------------------------------------------------------------------


def board_of(scope: Scope) -> IdeaBoard:
    """The board of a partnership or the program; an unsaved one with the defaults when
    nobody has changed them yet (reading never writes)."""
    board = (
        # None: the program's board (IS NULL), which django-stubs' lookup types leave out.
        IdeaBoard.objects.filter(workspace_id=scope.workspace_id, partnership_id=scope.id)  # type: ignore[misc]
        .select_related("tactical_owner", "strategic_owner")
        .first()
    )
    return board or IdeaBoard(workspace_id=scope.workspace_id, partnership_id=scope.id)


def _locked_board(scope: Scope) -> IdeaBoard:
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
    *, actor: Actor, partnership: Scope, version: int | None, **changes: Any
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


def _next_position(scope: Scope, horizon: str) -> int:
    last = (
        Idea.objects.in_scope(scope)
        .filter(
            horizon=horizon,
            status__in=OPEN_STATUSES,
        )
        .aggregate(last=Max("position"))
        .get("last")
    )
    return 0 if last is None else last + 1


def _check(values: dict[str, Any]) -> None:
    if "horizon" in values and values["horizon"] not in Horizon.values:
        raise InvalidInput.on("horizon", "Choose short-term tactical or long-term strategic.")
    if "details" in values:
        values["details"] = values["details"] or ""


def _place(actor: Actor, scope: Scope, values: dict[str, Any], idea: Idea | None) -> None:
    """A new idea, or one moved to the other group, goes to the bottom of its group, under
    the board's lock. A new one is owned by the group's owner (or whoever adds it, when the
    group's owner cannot see it) unless someone is named."""
    if idea is None:
        values.setdefault("visibility", Visibility.SHARED)
    horizon = values.get("horizon", idea.horizon if idea else Horizon.TACTICAL)
    if idea is not None and horizon == idea.horizon:
        return
    board = _locked_board(scope)
    values["position"] = _next_position(scope, horizon)
    if idea is None and values.get("owner") is None:
        owner = board.owner_of(horizon)
        people = people_of(scope, visibility=values["visibility"])
        if owner is None or not people.filter(pk=owner.pk).exists():
            owner = actor.user  # the group's owner cannot see an internal idea
        values["owner"] = owner


# Seed 001: "Capture an idea in one line"; editing and deleting follow from the declaration.
IDEAS = ItemType(
    model=Idea,
    name="idea",
    label="idea",
    form=IdeaForm,
    program=True,
    delete=VIEW,
    check=checks(text_fields("title"), _check),
    validate=_place,
    logged=("title", "horizon", "owner", "visibility"),
)

idea_create = IDEAS.create
idea_update = IDEAS.update
idea_delete = IDEAS.remove


def _require_open_idea(idea: Idea) -> None:
    if not idea.is_open:
        raise InvalidInput(
            f"“{idea.title}” is already {idea.get_status_display().lower()}; it can't be"
            " changed from the backlog any more."
        )


def limit_message(scope: Scope, committed: int, limit: int) -> str:
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
            .in_scope(scope)
            .filter(horizon=idea.horizon, status__in=OPEN_STATUSES)
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


def _owner_for_work(idea: Idea, scope: Scope) -> User | None:
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
        values: dict[str, Any] = {
            "title": idea.title,
            "details": idea.details,
            "owner": _owner_for_work(idea, scope),
            "visibility": idea.visibility,
        }
        changes: dict[str, Any] = {"status": IdeaStatus.CONVERTED, "closed_at": timezone.now()}
        if into == "rock":
            changes["rock"] = rock_services.rock_create(actor=actor, partnership=scope, **values)
        else:
            changes["todo"] = todo_services.todo_create(actor=actor, partnership=scope, **values)
        core.update(
            idea,
            actor=actor,
            version=version,
            changes=changes,
            verb="made a rock of idea" if into == "rock" else "made a to-do of idea",
        )
    return idea
