from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StrictBool, StringConstraints

from tandem.core.api.schemas import Id, PersonOut, Title, Version
from tandem.core.params import Day

TermValue = Literal["short", "long"]
Decision = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]


class IssueOut(Schema):
    id: int
    title: str
    details: str
    owner: PersonOut | None
    term: str
    rank: int = Field(
        description="Place in its list as the caller sees it, 1 = top (issues the caller"
        " cannot see are not counted; solved issues keep their last)."
    )
    votes: int
    solved: bool
    solved_at: datetime | None
    decision: str
    todo_ids: list[int]
    visibility: str
    version: int

    @staticmethod
    def resolve_rank(obj: object) -> int:
        # ``place`` is given by the selectors and the API for the caller; never the stored
        # rank of an open issue, which counts issues the caller may not see.
        return obj.place  # type: ignore[attr-defined]

    @staticmethod
    def resolve_votes(obj: object) -> int:
        count = getattr(obj, "vote_count", None)
        return count if count is not None else obj.votes.count()  # type: ignore[attr-defined]

    @staticmethod
    def resolve_solved(obj: object) -> bool:
        return obj.is_solved  # type: ignore[attr-defined]

    @staticmethod
    def resolve_todo_ids(obj: object) -> list[int]:
        return [todo.pk for todo in obj.todos.all()]  # type: ignore[attr-defined]


class RankIn(Schema):
    position: int = Field(ge=1, le=100_000, description="The place to take, 1 = top.")


class VoteIn(Schema):
    vote: StrictBool = True


class VoteOut(Schema):
    votes_left: int


class ApplyVotesIn(Schema):
    list: TermValue = "short"


class ApplyVotesOut(Schema):
    votes_counted: int


class NewTodoIn(Schema):
    title: Title
    owner_id: Id | None = None
    due_on: Day | None = None


class SolveIn(Schema):
    version: Version
    decision: Decision
    todos: list[NewTodoIn] = Field(default_factory=list, max_length=20)


class MoveIn(Schema):
    version: Version
    destination: Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=20),
        Field(description="A partnership's id, or `program` for the program level."),
    ]
