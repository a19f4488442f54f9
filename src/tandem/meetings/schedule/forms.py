from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from tandem.core.forms import DayField, VersionedForm
from tandem.meetings.models import PULSE_SECTIONS, Weekday, _timezones, validate_timezone
from tandem.partners.models import Cadence

# The regions people pick a city from; the other names the database knows (US/Eastern,
# Etc/GMT+5 …) stay valid but are not offered.
REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


def timezone_choices(current: str = "") -> list[Any]:
    """The time zones grouped by region, UTC first; the current one is always offered."""
    groups: dict[str, list[tuple[str, str]]] = {region: [] for region in REGIONS}
    for name in sorted(_timezones()):
        region, _, place = name.partition("/")
        if region in groups and place:
            groups[region].append((name, name.replace("_", " ")))
    choices: list[Any] = [("UTC", "UTC")]
    if (
        current
        and current != "UTC"
        and not any(current == n for g in groups.values() for n, _ in g)
    ):
        choices.append((current, current))
    choices += [(region, names) for region, names in groups.items() if names]
    return choices


class ZoneSelect(forms.Select):
    """The ~600 time zones as a <select>, built in Python once per chosen zone: Django's
    widget templates render every <option> through the template engine (~60 ms a page)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            zone_options("" if value is None else str(value)[:64]),
        )


@lru_cache(maxsize=128)
def zone_options(chosen: str) -> SafeString:
    def option(code: str, label: str) -> str:
        selected = " selected" if code == chosen else ""
        return format_html('<option value="{}"{}>{}</option>', code, selected, label)

    parts: list[str] = []
    for code, label in timezone_choices(chosen):
        if isinstance(label, list | tuple):
            inner = "".join(option(c, text) for c, text in label)
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', code, mark_safe(inner)))  # noqa: S308
        else:
            parts.append(option(str(code), str(label)))
    return mark_safe("".join(parts))  # noqa: S308 - every part built with format_html


def _minutes_field(label: str, default: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=240,
        initial=default,
        widget=forms.NumberInput(attrs={"class": "minutes", "inputmode": "numeric"}),
    )


class ScheduleForm(VersionedForm):
    partnership_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    cadence = forms.ChoiceField(
        label="Cadence",
        choices=Cadence.choices,
        help_text="Quarterly: the quarterly meeting only.",
    )
    weekday = forms.TypedChoiceField(label="Day", choices=Weekday.choices, coerce=int)
    time = forms.TimeField(
        label="Local time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    timezone = forms.CharField(label="Time zone", max_length=64, widget=ZoneSelect)
    starts_on = DayField(label="First meeting on or after")
    quarterly = forms.BooleanField(
        label="Hold a quarterly meeting",
        required=False,
        help_text="On each quarter's last meeting day, in place of the pulse.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label, default, _ in PULSE_SECTIONS:
            self.fields[f"{key}_minutes"] = _minutes_field(label, default)
        current = self.data.get("timezone") or self.initial.get("timezone") or "UTC"
        self.fields["timezone"].widget.choices = timezone_choices(str(current)[:64])

    @property
    def minute_fields(self) -> list[Any]:
        return [self[f"{key}_minutes"] for key, _, _, _ in PULSE_SECTIONS]

    def clean_timezone(self) -> str:
        name = self.cleaned_data["timezone"].strip()
        try:
            validate_timezone(name)
        except ValidationError as error:
            raise ValidationError(
                "That is not a time zone we know. Pick the city whose clock the meeting"
                " follows, e.g. America/New_York or Europe/Berlin."
            ) from error
        return name

    def schedule_values(self) -> dict[str, Any]:
        names = ("weekday", "time", "timezone", "starts_on", "quarterly")
        minutes = tuple(f"{key}_minutes" for key, _, _, _ in PULSE_SECTIONS)
        return {name: self.cleaned_data[name] for name in (*names, *minutes)}
