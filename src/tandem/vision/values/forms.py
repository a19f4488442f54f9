"""The forms of values and company goals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django import forms

from tandem.core.access import Actor, Visibility
from tandem.core.forms import ItemFormMetaclass, ScopedItemForm, VersionedForm, visibility_field
from tandem.core.sides import OURS, side_name
from tandem.vision.models import CompanyGoal, Value
from tandem.vision.values.selectors import program_values

if TYPE_CHECKING:
    from tandem.core.http import TandemRequest
    from tandem.core.scope import Scope


class ValueForm(ScopedItemForm):
    """A program value, or a partner's stated value with the program value it matches."""

    class Meta:
        model = Value
        fields = ("name", "meaning")
        labels = {"meaning": "In practice"}
        placeholders = {
            "name": "e.g. Customer first",
            "meaning": "One line both sides would recognise",
        }

    @classmethod
    def for_request(cls, request: TandemRequest, partnership: Scope, **kwargs: Any) -> Self:
        return super().for_request(request, partnership, actor=request.actor, **kwargs)

    def __init__(self, *args: Any, partnership: Scope, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, partnership=partnership, **kwargs)
        if partnership.is_program:
            # Stated to every partner unless the program keeps it to itself.
            self.default_visibility = Visibility.SHARED
            self.fields["visibility"] = visibility_field()
            self.fields["visibility"].choices = [  # type: ignore[attr-defined]
                (Visibility.SHARED, "Shown to our partners"),
                (Visibility.INTERNAL, "Internal — only our workspace"),
            ]
        if not partnership.is_program:
            # Only members choose a visibility: that is how the form knows the reader's side.
            ours = side_name(OURS, "visibility" in self.fields, partnership)
            values = program_values(actor, partnership.workspace_id)
            self.fields["matches"] = forms.ModelChoiceField(
                queryset=values,
                required=False,
                label="Matches our value" if ours.yours else f"Matches {ours.possessive} value",
                empty_label="None of ours" if ours.yours else f"None of {ours.possessive}",
            )
            match = self.initial.get("matches")
            if match is not None and not values.filter(pk=match.pk).exists():
                # Matched (by a member) with a value this person doesn't see: not theirs
                # to change, and offering the choice would name it.
                del self.fields["matches"]
            if "visibility" in self.fields:  # after "matches", as on the page
                self.fields["visibility"] = self.fields.pop("visibility")


class CompanyGoalForm(VersionedForm, metaclass=ItemFormMetaclass):
    """A goal of the company: the workspace's own, so there is no visibility to choose."""

    class Meta:
        model = CompanyGoal
        help_texts = {"target": ""}  # as the page always showed it
        placeholders = {"title": "e.g. Grow net revenue retention to 115%"}
