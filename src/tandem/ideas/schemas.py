from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from tandem.core.api.schemas import Id, PersonOut, Version

Details = Annotated[str, StringConstraints(max_length=5000)]
HorizonValue = Literal["tactical", "strategic"]
StatusValue = Literal["backlog", "committed", "done", "converted"]


class LinkOut(Schema):
    """What an idea became: a rock or a to-do of the same partnership."""

    kind: str
    id: int
    title: str


class IdeaOut(Schema):
    id: int
    title: str
    details: str
    horizon: str
    status: str
    rank: int = Field(
        description="Place in its group's priority order as the caller sees it, 1 = first"
        " (ideas the caller cannot see are not counted)."
    )
    owner: PersonOut | None
    committed_at: datetime | None
    closed_at: datetime | None
    became: LinkOut | None
    visibility: str
    version: int

    @staticmethod
    def resolve_rank(obj: object) -> int:
        return obj.place  # type: ignore[attr-defined]  # selectors.with_places

    @staticmethod
    def resolve_became(obj: object) -> dict[str, object] | None:
        # Read through the caller's scope (tandem.ideas.selectors.with_links).
        if getattr(obj, "rock_title", None) is not None:
            return {"kind": "rock", "id": obj.rock_id, "title": obj.rock_title}  # type: ignore[attr-defined]
        if getattr(obj, "todo_title", None) is not None:
            return {"kind": "todo", "id": obj.todo_id, "title": obj.todo_title}  # type: ignore[attr-defined]
        return None


class IdeaMoveIn(Schema):
    direction: Literal["up", "down"]


class IdeaConvertIn(Schema):
    version: Version
    into: Literal["rock", "todo"]


class BoardOut(Schema):
    commit_limit: int
    committed: int = Field(description="Committed ideas the caller can see.")
    places_taken: int = Field(
        description="Committed ideas counted against the limit: both teams' ideas, so it may"
        " include internal ones the caller cannot see (they are never listed)."
    )
    room: int = Field(description="How many more ideas can be committed now.")
    tactical_owner: PersonOut | None
    strategic_owner: PersonOut | None
    version: int


class BoardPatch(Schema):
    version: Version
    commit_limit: Annotated[int, Field(ge=1, le=20)] | None = None
    tactical_owner_id: Id | None = None
    strategic_owner_id: Id | None = None
