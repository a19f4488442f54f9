from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.forms import DayField, PeopleChoiceField, ScopedItemForm, VersionedForm
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.relationship.asks.models import Side
from tandem.relationship.asks.selectors import answerers, side_of


class AskForm(ScopedItemForm):
    """An ask from one side. Who can be asked is the other side's people; only members
    choose the visibility (what the partner files is shared)."""

    title = forms.CharField(
        label="What do you ask?",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. An intro to your EMEA sales lead"}),
    )
    details = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = PeopleChoiceField(
        label="Who should answer",
        queryset=None,
        required=False,
        empty_label="Anyone on their side",
    )
    needed_by = DayField(label="Needed by", required=False)

    field_order = ["title", "details", "owner", "needed_by"]

    def __init__(
        self,
        *args: Any,
        partnership: Scope,
        side: str,
        can_choose_visibility: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            *args, partnership=partnership, can_choose_visibility=can_choose_visibility, **kwargs
        )
        self.fields["owner"].queryset = answerers(partnership, side)  # type: ignore[attr-defined]
        if side == Side.PARTNER:
            self.fields["owner"].empty_label = "Anyone at " + str(partnership.workspace.name)  # type: ignore[attr-defined]
        else:
            self.fields["owner"].empty_label = "Anyone at " + partnership.name  # type: ignore[attr-defined]
        if "visibility" in self.fields:
            self.fields[
                "visibility"
            ].help_text = "Keep it internal to note an ask you mean to make in person."

    @classmethod
    def for_request(cls, request: TandemRequest, partnership: Scope, **kwargs: Any) -> AskForm:
        """A new ask is the asker's side's."""
        kwargs.setdefault("side", side_of(request.actor, partnership))
        return super().for_request(request, partnership, **kwargs)


class AnswerForm(VersionedForm):
    answer = forms.CharField(
        label="Your answer",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "What you can do, and by when"}),
    )
