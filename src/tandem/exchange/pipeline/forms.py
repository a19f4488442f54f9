"""The pipeline's forms: an opportunity (read from the model), a stage move, a registration
decision, a stage of the workspace and the stall rule."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.forms import OwnedItemForm, VersionedForm
from tandem.core.ids import parse_id
from tandem.core.scope import Scope
from tandem.exchange.pipeline.models import Opportunity, Outcome, PipelineSettings, Stage
from tandem.exchange.pipeline.stages import stages_of


class StageChoiceField(forms.ModelChoiceField):
    """A stage by id; an id no database column holds is simply not a choice."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not parse_id(value):
            raise forms.ValidationError("Choose a stage of the list.", code="invalid_choice")
        return super().to_python(value)


class OpportunityForm(OwnedItemForm):
    """A deal. Members may choose its starting stage; a partner-side person registers it
    (it starts in the first open stage, awaiting a member's decision)."""

    class Meta:
        model = Opportunity
        placeholders = {
            "account_name": "e.g. Contoso Ltd",
            "account_domain": "contoso.com",
            "currency": "EUR",
            "next_step": "e.g. Joint demo on the 12th",
        }
        help_texts = {
            "currency": "ISO 4217 code, e.g. EUR, USD, GBP.",
            "amount": "Expected deal value, without the currency sign.",
        }
        widgets = {"currency": forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"})}

    def __init__(self, *args: Any, partnership: Scope, **kwargs: Any) -> None:
        super().__init__(*args, partnership=partnership, **kwargs)
        editing = bool(self.initial.get("version"))
        if self.fields.get("visibility") is not None and not editing:
            self.fields["stage"] = StageChoiceField(
                queryset=Stage.objects.filter(
                    workspace_id=partnership.workspace_id, archived=False, outcome=Outcome.OPEN
                ),
                required=False,
                empty_label="First stage",
                label="Stage",
            )
            stages_of(partnership.workspace_id)
            order = list(self.fields)
            order.remove("stage")
            order.insert(order.index("attribution") + 1, "stage")
            self.order_fields(order)
        if "amount" in self.fields:
            self.fields["amount"].min_value = 0  # type: ignore[attr-defined]
            self.fields["amount"].widget.attrs["min"] = "0"

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").strip().upper()


class MoveForm(VersionedForm):
    stage = StageChoiceField(queryset=Stage.objects.none(), label="Move to", empty_label=None)
    lost_reason = forms.CharField(
        label="Why was it lost?",
        required=False,
        max_length=300,
        help_text="Needed when moving to a lost stage.",
    )

    def __init__(self, *args: Any, workspace_id: int, current: int | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["stage"].queryset = Stage.objects.filter(  # type: ignore[attr-defined]
            workspace_id=workspace_id, archived=False
        ).exclude(pk=current or 0)


class DecisionForm(VersionedForm):
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed to reject; the partner reads it.",
    )


class StageForm(VersionedForm):
    name = forms.CharField(max_length=60, label="Name")
    probability = forms.IntegerField(min_value=0, max_value=100, label="Win probability (%)")
    outcome = forms.ChoiceField(choices=Outcome.choices, label="Outcome")


class StallForm(VersionedForm):
    stall_days = forms.IntegerField(
        min_value=1,
        max_value=365,
        label=str(PipelineSettings._meta.get_field("stall_days").verbose_name).capitalize(),
        help_text="An open deal whose stage has not changed for this long is flagged as stalled.",
    )
