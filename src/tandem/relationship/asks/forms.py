from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.forms import ScopedItemForm, VersionedForm, form_field
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.relationship.asks.models import Ask, Side
from tandem.relationship.asks.selectors import answerers, side_of


class AskForm(ScopedItemForm):
    """An ask from one side. Who can be asked is the other side's people; only members
    choose the visibility (what the partner files is shared)."""

    class Meta:
        model = Ask
        labels = {"title": "What do you ask?"}
        placeholders = {"title": "e.g. An intro to your EMEA sales lead"}

    def __init__(self, *args: Any, partnership: Scope, side: str, **kwargs: Any) -> None:
        super().__init__(*args, partnership=partnership, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = answerers(partnership, side)  # type: ignore[attr-defined]
        answering = partnership.workspace.name if side == Side.PARTNER else partnership.name
        owner.empty_label = f"Anyone at {answering}"  # type: ignore[attr-defined]
        if visibility := self.fields.get("visibility"):
            visibility.help_text = "Keep it internal to note an ask you mean to make in person."

    @classmethod
    def for_request(cls, request: TandemRequest, partnership: Scope, **kwargs: Any) -> AskForm:
        """A new ask is the asker's side's."""
        kwargs.setdefault("side", side_of(request.actor, partnership))
        return super().for_request(request, partnership, **kwargs)


class AnswerForm(VersionedForm):
    answer = form_field(
        Ask._meta.get_field("answer"),
        label="Your answer",
        placeholder="What you can do, and by when",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
