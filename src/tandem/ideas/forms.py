from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from tandem.core.access import Visibility
from tandem.core.forms import OwnedItemForm, PeopleChoiceField, VersionedForm
from tandem.core.policy import people_of
from tandem.core.scope import Scope
from tandem.ideas.models import MAX_COMMIT_LIMIT, Idea
from tandem.partners.models import Horizon


class IdeaCaptureForm(forms.Form):
    """One field: the idea. The group comes from where it was typed."""

    title = forms.CharField(
        label="New idea",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "Capture an idea in a line…"}),
    )
    horizon = forms.ChoiceField(choices=Horizon.choices, widget=forms.HiddenInput)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        horizon: str = Horizon.TACTICAL,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, initial={"horizon": horizon}, **kwargs)
        self.auto_id = f"id_{horizon}_%s"


class IdeaForm(OwnedItemForm):
    class Meta:
        model = Idea
        fields = ("title", "horizon", "owner", "details")
        widgets = {"details": forms.Textarea(attrs={"rows": 4})}


class BoardForm(VersionedForm):
    commit_limit = forms.IntegerField(
        label="Committed ideas at a time",
        min_value=1,
        max_value=MAX_COMMIT_LIMIT,
        help_text="Only commit to a few at a time. Three is a good start.",
    )
    tactical_owner = PeopleChoiceField(
        label="Owner of the short-term tactical ideas",
        queryset=None,
        required=False,
        empty_label="Not set",
    )
    strategic_owner = PeopleChoiceField(
        label="Owner of the long-term strategic ideas",
        queryset=None,
        required=False,
        empty_label="Not set",
        help_text="Assign different owners to each group — the day-to-day person for tactics.",
    )

    def __init__(self, *args: Any, partnership: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = people_of(partnership, visibility=Visibility.SHARED)
        self.fields["tactical_owner"].queryset = people  # type: ignore[attr-defined]
        self.fields["strategic_owner"].queryset = people  # type: ignore[attr-defined]
