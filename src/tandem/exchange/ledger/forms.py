from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from tandem.core.forms import ColumnChoiceField, OwnedItemForm, VersionedForm
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.core.widgets import QuickSelect
from tandem.exchange.ledger.models import Direction, Entry, Kind
from tandem.exchange.ledger.sides import side_of
from tandem.exchange.pipeline.models import Opportunity

# The deals an entry may name on the page: the open ones and those closed lately (the API
# takes any deal of the partnership the caller sees).
RECENT_DAYS = 90


def direction_choices(side: str) -> list[tuple[str, str]]:
    """The direction as the reader says it: "you gave" is their own side's."""
    other = Direction.PARTNER if side == Direction.OURS else Direction.OURS
    return [(side, "You gave"), (other, "You received")]


class EntryForm(OwnedItemForm):
    """An entry, said from the reader's side; the kinds are the workspace's current ones,
    the opportunities those of this partnership the reader sees."""

    kind = forms.ModelChoiceField(queryset=Kind.objects.none(), label="Kind", empty_label=None)
    direction = forms.ChoiceField(label="Direction", choices=Direction.choices)
    opportunity = ColumnChoiceField(
        queryset=Opportunity.objects.none(),
        label_column="account_name",
        label="Opportunity",
        required=False,
        empty_label="None",
        help_text=f"The deal this came with: open, or closed in the last {RECENT_DAYS} days.",
        widget=QuickSelect,
    )
    amount = forms.DecimalField(
        label="Value",
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text="Leave empty when it has no money value.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "e.g. 1250.00"}),
    )

    class Meta:
        model = Entry
        placeholders = {"title": "e.g. Intro to Contoso's CIO", "currency": "e.g. EUR"}
        help_texts = {"currency": "The three-letter code (ISO 4217)."}
        labels = {"estimated": "The value is an estimate"}

    def __init__(
        self, *args: Any, partnership: Scope, side: str = Direction.OURS, **kwargs: Any
    ) -> None:
        actor = kwargs.pop("actor", None)
        super().__init__(*args, partnership=partnership, **kwargs)
        current = getattr(self.initial.get("kind"), "pk", self.initial.get("kind"))
        kinds = Kind.objects.filter(workspace_id=partnership.workspace_id)
        usable = kinds.filter(archived=False)
        if current is not None:  # editing: the entry's own kind stays, archived or not
            usable = usable | kinds.filter(pk=current)
        self.fields["kind"].queryset = usable.order_by("position", "id")  # type: ignore[attr-defined]
        self.fields["direction"].choices = direction_choices(side)  # type: ignore[attr-defined]
        self.fields["direction"].initial = side
        opportunities = Opportunity.objects.none()
        if actor is not None and not partnership.is_program:
            since = timezone.localdate() - timedelta(days=RECENT_DAYS)
            linked = self.initial.get("opportunity")
            linked = getattr(linked, "pk", linked)
            opportunities = (
                Opportunity.objects.visible_to(actor)
                .filter(partnership_id=partnership.pk)
                .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=since) | Q(pk=linked or 0))
                # What saving the entry asks of the chosen deal (its scope and visibility);
                # the options read only the name (hundreds in a long pipeline).
                .only("id", "account_name", "workspace_id", "partnership_id", "visibility")
                .order_by("account_name", "id")
            )
        self.fields["opportunity"].queryset = opportunities  # type: ignore[attr-defined]

    @classmethod
    def for_request(cls, request: TandemRequest, partnership: Scope, **kwargs: Any) -> EntryForm:
        kwargs.setdefault("side", side_of(request.actor, partnership))
        kwargs.setdefault("actor", request.actor)
        return super().for_request(request, partnership, **kwargs)


class AnswerForm(VersionedForm):
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed to dispute: say what is wrong.",
    )


class KindForm(forms.Form):
    name = forms.CharField(label="Name", max_length=60)


class KindEditForm(VersionedForm):
    name = forms.CharField(label="Name", max_length=60)
