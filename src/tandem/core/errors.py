"""Domain errors, raised by services and turned into a page message or a JSON problem once."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}

    def for_api(self) -> DomainError:
        """The refusal as an API caller reads it: the same, unless it names API calls."""
        return self


class InvalidInput(DomainError):
    status = 400
    title = "Invalid input"

    @classmethod
    def on(cls, field: str, message: str) -> InvalidInput:
        """One field's refusal, as a form shows it: ``raise InvalidInput.on("name", "…")``."""
        return cls("Please correct the highlighted fields.", errors={field: [message]})


class Conflict(DomainError):
    """An update was based on a version someone else has already replaced."""

    status = 409
    title = "Edit conflict"

    def __init__(
        self,
        detail: str,
        *,
        current: Any,
        attempted: dict[str, Any],
        fields: tuple[str, ...] = (),
    ) -> None:
        super().__init__(detail)
        self.current = current
        self.attempted = attempted
        self.fields = fields

    def comparison(self) -> list[dict[str, Any]]:
        """Each field the two edits disagree on: what you sent, what is saved now."""
        rows = []
        for name in self.fields or tuple(self.attempted):
            if name not in self.attempted:
                continue
            theirs = getattr(self.current, name, None)
            mine = self.attempted[name]
            if display(theirs) != display(mine):
                rows.append({"field": name, "yours": display(mine), "theirs": display(theirs)})
        return rows


def display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "get_full_name"):
        return value.get_full_name() or value.email
    return str(value)
