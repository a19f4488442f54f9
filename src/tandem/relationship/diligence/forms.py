from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.forms import VersionedForm, form_field
from tandem.relationship.diligence.models import (
    SCORE_MAX,
    SCORE_MIN,
    WEIGHT_MAX,
    WEIGHT_MIN,
    Criterion,
    Decision,
)

SCORE_LABELS = {1: "1 — poor", 2: "2 — weak", 3: "3 — fair", 4: "4 — good", 5: "5 — excellent"}


class CriterionForm(VersionedForm):
    name = form_field(Criterion._meta.get_field("name"), placeholder="e.g. Financial health")
    guidance = form_field(
        Criterion._meta.get_field("guidance"),
        placeholder="What to look for, in a line",
        help_text="",
    )
    weight = form_field(
        Criterion._meta.get_field("weight"),
        initial=2,
        help_text=f"{WEIGHT_MIN}–{WEIGHT_MAX}: how much it counts against the others.",
    )


class AssessmentForm(VersionedForm):
    """Every criterion's score and evidence, and the decision, in one form."""

    decision = forms.ChoiceField(
        choices=Decision.choices, required=False, widget=forms.RadioSelect, label="Decision"
    )
    rationale = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "Why go, or why not — for the next person who asks."}
        ),
    )

    def __init__(self, *args: Any, rows: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        choices = [
            ("", "Not scored"),
            *((n, SCORE_LABELS[n]) for n in range(SCORE_MIN, SCORE_MAX + 1)),
        ]
        for row in rows:
            self.fields[f"score_{row.pk}"] = forms.TypedChoiceField(
                label=f"Score: {row.name}",
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=row.score,
            )
            self.fields[f"evidence_{row.pk}"] = forms.CharField(
                label=f"Evidence: {row.name}",
                required=False,
                max_length=2000,
                initial=row.evidence,
                widget=forms.Textarea(
                    attrs={"rows": 2, "placeholder": "What you found, and where"}
                ),
            )

    def lines(self) -> list[dict[str, Any]]:
        """Each criterion with its two fields, for the template."""
        return [
            {"row": row, "score": self[f"score_{row.pk}"], "evidence": self[f"evidence_{row.pk}"]}
            for row in self.rows
        ]

    def scores(self) -> dict[int, dict[str, Any]]:
        data = self.cleaned_data
        return {
            row.pk: {
                "score": data.get(f"score_{row.pk}"),
                "evidence": data.get(f"evidence_{row.pk}", ""),
            }
            for row in self.rows
        }
