"""The dashboard's filters (a GET form: stage, owner, health band, has alerts, order)."""

from __future__ import annotations

from django import forms

from tandem.evaluation.dashboard.selectors import BANDS, SORTS
from tandem.partners.models import Stage
from tandem.partners.services import members_of


class DashboardFilterForm(forms.Form):
    stage = forms.ChoiceField(required=False, choices=[("", "All stages"), *Stage.choices])
    owner = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    band = forms.ChoiceField(
        required=False, label="Health", choices=[("", "Any health"), *BANDS.items()]
    )
    has_alerts = forms.BooleanField(required=False, label="Has alerts")
    sort = forms.ChoiceField(required=False, label="Sort by", choices=list(SORTS.items()))

    def __init__(self, *args: object, workspace_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", "Any owner"),
            *((user.pk, user.get_full_name()) for user in members_of(workspace_id)),
        ]

    def filters(self) -> dict[str, object]:
        """The valid filters by name (an invalid one is left out, as on the portfolio)."""
        if not self.is_valid():
            return {}
        found = self.cleaned_data
        return {
            "stage": found.get("stage") or "",
            "owner": found.get("owner"),
            "band": found.get("band") or "",
            "has_alerts": bool(found.get("has_alerts")),
            "sort": found.get("sort") or "health",
        }
