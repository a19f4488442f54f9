"""The import pages' forms: what to import and from where, then how the file's columns map
onto Tandem's fields. They only shape what a person typed; the rules (a column that is not
in the file, a required field left out, an ambiguous date column) are the services'."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from tandem.partners.models import Partnership
from tandem.transfer.imports import reading
from tandem.transfer.imports.targets import EXTERNAL_ID, TARGETS, Target

# The CRMs whose exports were tried; the field takes any name ("the mapping is remembered
# per source", so a person's own name for their CRM is as good).
SOURCES = ("HubSpot", "Salesforce", "Pipedrive", "Other")

DETECT = ("", "Detect automatically")
ENCODINGS = [DETECT, *reading.ENCODINGS.items()]
# A tab travels as "tab": a bare tab in a form field is easily lost on the way.
DELIMITERS = [
    DETECT,
    *(
        (("tab" if char == "\t" else char), label.capitalize())
        for char, label in reading.DELIMITERS.items()
    ),
]
DATE_FORMS = [("", "As the file shows"), *reading.DATE_FORMS.items()]
NOT_MAPPED = ""


class PartnershipChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Partnership) -> str:
        return obj.name


class NewImportForm(forms.Form):
    target = forms.ChoiceField(
        label="What to import",
        choices=[("", "Choose…"), *((key, target.label) for key, target in TARGETS.items())],
    )
    source = forms.CharField(
        label="Where the file comes from",
        max_length=60,
        help_text="The CRM or tool that exported it: its column mapping is remembered for the"
        " next file from the same source.",
        widget=forms.TextInput(attrs={"list": "import-sources", "autocomplete": "off"}),
    )
    partnership = PartnershipChoice(
        label="Partnership",
        queryset=Partnership.objects.none(),
        required=False,
        empty_label="Choose…",
    )
    file = forms.FileField(
        label="CSV file",
        help_text="A .csv or .txt file as your CRM exports it, up to 200 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )
    encoding = forms.ChoiceField(label="Encoding", choices=ENCODINGS, required=False)
    delimiter = forms.ChoiceField(label="Columns separated by", choices=DELIMITERS, required=False)

    def __init__(self, *args: Any, partnerships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partnership"]
        field.queryset = partnerships  # type: ignore[attr-defined]
        without = [target.label.lower() for target in TARGETS.values() if not target.in_partnership]
        field.help_text = (
            f"Needed for everything but {' and '.join(without)}." if without else "Needed."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        target = TARGETS.get(cleaned.get("target") or "")
        if target is not None and target.in_partnership and not cleaned.get("partnership"):
            self.add_error(
                "partnership", f"Choose the partnership the {target.label.lower()} belong to."
            )
        return cleaned

    def delimiter_value(self) -> str | None:
        chosen = self.cleaned_data.get("delimiter") or ""
        return "\t" if chosen == "tab" else chosen or None


class MappingForm(forms.Form):
    """One select per Tandem field (``map_<field>``: a column of the file, or none), a date
    form per date field (``form_<field>``), and the key that finds a row imported before."""

    key = forms.ChoiceField(
        label="How to recognise a row imported before", widget=forms.RadioSelect
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(
        self,
        *args: Any,
        target: Target,
        header: list[str],
        ambiguous: dict[str, list[str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.target = target
        self.ambiguous = ambiguous
        columns = [(NOT_MAPPED, "— not in the file —")] + [(name, name) for name in header]
        for field in target.fields:
            self.fields[f"map_{field.name}"] = forms.ChoiceField(
                label=field.label,
                choices=columns,
                required=field.required,
                help_text=field.help,
                error_messages={
                    "required": f"Choose the column that holds the {field.label.lower()}.",
                    "invalid_choice": "The file has no such column: choose one of its columns.",
                },
            )
            if field.kind == "date":
                self.fields[f"form_{field.name}"] = forms.ChoiceField(
                    label=f"How {field.label.lower()} dates are written",
                    choices=DATE_FORMS,
                    required=False,
                )
        names = {field.name: field.label for field in target.fields}
        keys = []
        if EXTERNAL_ID in names:
            keys.append((EXTERNAL_ID, f"The file's {names[EXTERNAL_ID].lower()} column"))
        for fields in target.natural_keys:
            label = " + ".join(names.get(name, name) for name in fields)
            keys.append((",".join(fields), f"The same {label.lower()}"))
        key_field = cast(forms.ChoiceField, self.fields["key"])
        key_field.choices = keys
        if keys and not self.is_bound:
            key_field.initial = keys[0][0]
        if target.fixed_key:
            # One record per measurable and period, whatever the person would pick.
            del self.fields["key"]

    def rows(self) -> list[dict[str, Any]]:
        """The mapping table: each field with its column select and, for dates, its form."""
        return [
            {
                "field": field,
                "column": self[f"map_{field.name}"],
                "form": self[f"form_{field.name}"] if field.kind == "date" else None,
                "ambiguous": self.ambiguous.get(field.name),
            }
            for field in self.target.fields
        ]

    def mapping(self) -> dict[str, str]:
        return {
            field.name: self.cleaned_data[f"map_{field.name}"]
            for field in self.target.fields
            if self.cleaned_data.get(f"map_{field.name}")
        }

    def date_forms(self) -> dict[str, str]:
        return {
            field.name: self.cleaned_data[f"form_{field.name}"]
            for field in self.target.fields
            if field.kind == "date" and self.cleaned_data.get(f"form_{field.name}")
        }

    def key_fields(self) -> list[str]:
        if self.target.fixed_key:
            return list(self.target.natural_keys[0])
        return [name for name in self.cleaned_data["key"].split(",") if name]

    @staticmethod
    def initial_for(
        target: Target,
        suggested: dict[str, str],
        date_forms: dict[str, str],
        key: list[str],
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {f"map_{name}": column for name, column in suggested.items()}
        initial.update({f"form_{name}": form for name, form in date_forms.items()})
        if key:
            initial["key"] = ",".join(key)
        return initial


class StartForm(forms.Form):
    mode = forms.ChoiceField(choices=[("all", "Import all"), ("valid", "Only the valid rows")])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
