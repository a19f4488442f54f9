from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from tandem.core.forms import DayField, VersionedForm, form_field
from tandem.meetings.models import PULSE_SECTIONS, Schedule, Weekday, _timezones, validate_timezone
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
    """The time zones grouped by region, UTC first; the chosen one is always offered."""

    def option(code: str, label: str) -> str:
        selected = " selected" if code == chosen else ""
        return format_html('<option value="{}"{}>{}</option>', code, selected, label)

    groups: dict[str, list[str]] = {region: [] for region in REGIONS}
    for name in sorted(_timezones()):
        region, _, place = name.partition("/")
        if region in groups and place:
            groups[region].append(name)
    parts = [option("UTC", "UTC")]
    if chosen and chosen != "UTC" and not any(chosen in names for names in groups.values()):
        parts.append(option(chosen, chosen))
    for region, names in groups.items():
        if names:
            inner = mark_safe("".join(option(n, n.replace("_", " ")) for n in names))  # noqa: S308
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', region, inner))
    return mark_safe("".join(parts))  # noqa: S308 - every part built with format_html


MINUTES = forms.NumberInput(attrs={"class": "minutes", "inputmode": "numeric"})


class ScheduleForm(VersionedForm):
    partnership_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    cadence = forms.ChoiceField(
        label="Cadence",
        choices=Cadence.choices,
        help_text="Quarterly: the quarterly meeting only.",
    )
    weekday = forms.TypedChoiceField(label="Day", choices=Weekday.choices, coerce=int)
    time = form_field(Schedule._meta.get_field("time"))
    timezone = forms.CharField(label="Time zone", max_length=64, widget=ZoneSelect)
    starts_on = DayField(label="First meeting on or after")
    quarterly = forms.BooleanField(
        label="Hold a quarterly meeting",
        required=False,
        help_text="On each quarter's last meeting day, in place of the pulse.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label, _, _ in PULSE_SECTIONS:  # 1–240 minutes each, from the model
            self.fields[f"{key}_minutes"] = form_field(
                Schedule._meta.get_field(f"{key}_minutes"), label=label, widget=MINUTES
            )

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
