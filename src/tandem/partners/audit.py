"""The workspace's activity log as an audit trail: its owners and admins read the whole log
(internal items too: it is the audit) and filter it by who, what, when and partnership.

The page, its export and the API operation read through ``AuditFilters`` and
``audit_entries``, so a filter means the same everywhere and a bad value is refused the
same way (a message on the page, a 400 problem over the API). It lives in ``partners``, the
lowest layer that knows both the log (``core``) and the partnerships it is filtered by.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet

from tandem.accounts.models import Membership, PartnerAccess, User, Workspace
from tandem.core import exports
from tandem.core.access import Actor
from tandem.core.errors import InvalidInput
from tandem.core.forms import DayField
from tandem.core.models import ActivityEntry
from tandem.partners.models import Partnership

PAGE_SIZE = 50
PROGRAM = "program"
CHOOSE_PERSON = "Choose someone from the list: a member or partner-side person of this workspace."
CHOOSE_KIND = "Choose a kind of item from the list."
CHOOSE_VERB = "Choose an action from the list."
CHOOSE_PARTNERSHIP = "Choose one of this workspace's partnerships, or the program level."
BAD_DATE = "Enter a date as YYYY-MM-DD."
DATES_REVERSED = "The start date is after the end date: swap them."
FILTER_NAMES = ("who", "item", "verb", "partnership", "date_from", "date_to")


def zone_of(user: object) -> ZoneInfo:
    """The person's own time zone (UTC when theirs is not one Python knows)."""
    try:
        return ZoneInfo(getattr(user, "timezone", "") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _person_label(user: User, *, member: bool, partner: bool) -> str:
    name = user.name or user.email
    if member:
        side = "member"
    elif partner:
        side = "partner side"
    else:
        side = "no longer here"
    return f"{name} ({user.email}, {side})" if user.name else f"{name} ({side})"


class AuditFilters(forms.Form):
    """The filters of the audit, with the choices this workspace's log offers (four queries,
    whatever the log's length)."""

    who = forms.TypedChoiceField(
        label="Who",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": CHOOSE_PERSON},
    )
    item = forms.ChoiceField(
        label="Kind of item", required=False, error_messages={"invalid_choice": CHOOSE_KIND}
    )
    verb = forms.ChoiceField(
        label="Action", required=False, error_messages={"invalid_choice": CHOOSE_VERB}
    )
    partnership = forms.ChoiceField(
        label="Partnership",
        required=False,
        error_messages={"invalid_choice": CHOOSE_PARTNERSHIP},
    )
    date_from = DayField(label="From", required=False, error_messages={"invalid": BAD_DATE})
    date_to = DayField(label="To", required=False, error_messages={"invalid": BAD_DATE})

    def __init__(self, data: Any, *, workspace: Workspace, actor: Actor) -> None:
        super().__init__(data)
        self.workspace = workspace
        log = ActivityEntry.objects.filter(workspace_id=workspace.pk)
        self._offer("who", [("", "Anyone"), *self._people(log)])
        kinds = (
            log.exclude(target_model="")
            .values_list("target_model", "target_type")
            .distinct()
            .order_by("target_type", "target_model")
        )
        self._offer(
            "item",
            [
                ("", "Any kind"),
                # One line per model, even if its name changed between entries.
                *{model: label.capitalize() for model, label in kinds}.items(),
            ],
        )
        verbs = log.values_list("verb", flat=True).distinct().order_by("verb")
        self._offer("verb", [("", "Any action"), *((verb, verb) for verb in verbs)])
        partnerships = (
            Partnership.objects.visible_to(actor)
            .filter(workspace_id=workspace.pk)
            .order_by("name", "pk")
            .values_list("pk", "name")
        )
        self._offer(
            "partnership",
            [
                ("", "Any partnership"),
                (PROGRAM, "Program level"),
                *((str(pk), name) for pk, name in partnerships),
            ],
        )

    def _offer(self, name: str, choices: list[tuple[Any, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = choices

    def _people(self, log: QuerySet[ActivityEntry]) -> list[tuple[int, str]]:
        """The workspace's members, its partner-side people, and anyone the log names who has
        since left: one query."""
        workspace_id = self.workspace.pk
        members = Membership.objects.filter(workspace_id=workspace_id)
        partner_side = PartnerAccess.objects.filter(partnership__workspace_id=workspace_id)
        named = log.filter(actor_id__isnull=False).values("actor_id")
        people = User.objects.filter(
            Q(pk__in=members.values("user_id"))
            | Q(pk__in=partner_side.values("user_id"))
            | Q(pk__in=named)
        ).annotate(
            is_member=Exists(members.filter(user_id=OuterRef("pk"))),
            is_partner=Exists(partner_side.filter(user_id=OuterRef("pk"))),
        )
        return [
            (
                user.pk,
                _person_label(
                    user,
                    member=getattr(user, "is_member", False),
                    partner=getattr(user, "is_partner", False),
                ),
            )
            for user in people.order_by("name", "email")
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", DATES_REVERSED)
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        # A refused filter says so to a screen reader too, and points at its message.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}_error"}
                )

    def refusal(self) -> InvalidInput:
        """The form's errors as the one refusal the page's export and the API give (400)."""
        errors = {name: [str(error) for error in errors] for name, errors in self.errors.items()}
        first = next(iter(errors.values()))[0]
        return InvalidInput(f"Check the filters: {first}", errors=errors)

    def checked(self) -> dict[str, Any]:
        """The cleaned filters, or the refusal (raised)."""
        if not self.is_valid():
            raise self.refusal()
        return self.cleaned_data

    @property
    def is_filtered(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.get(name) for name in FILTER_NAMES)


def day_bounds(day: date, zone: ZoneInfo) -> datetime:
    """The moment ``day`` begins in ``zone``."""
    return datetime.combine(day, time.min, tzinfo=zone)


def audit_entries(
    actor: Actor,
    workspace: Workspace,
    *,
    who: int | None = None,
    item: str = "",
    verb: str = "",
    partnership: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    zone: ZoneInfo | None = None,
) -> QuerySet[ActivityEntry]:
    """The workspace's whole log for one of its owners or admins (the caller checked the
    role), filtered, newest first, with the person and partnership each names joined.
    ``date_from`` / ``date_to`` are whole days in ``zone`` (the reader's), both included."""
    zone = zone or ZoneInfo("UTC")
    entries = ActivityEntry.objects.visible_to(actor).filter(workspace_id=workspace.pk)
    if who:
        entries = entries.filter(actor_id=who)
    if item:
        entries = entries.filter(target_model=item)
    if verb:
        entries = entries.filter(verb=verb)
    if partnership == PROGRAM:
        entries = entries.filter(partnership__isnull=True)
    elif partnership:
        entries = entries.filter(partnership_id=int(partnership))
    if date_from:
        entries = entries.filter(created_at__gte=day_bounds(date_from, zone))
    if date_to:
        entries = entries.filter(created_at__lt=day_bounds(date_to + timedelta(days=1), zone))
    return entries.select_related("actor", "partnership").order_by("-created_at", "-id")


def _changes(entry: ActivityEntry) -> str:
    return "; ".join(
        f"{row['field']}: {row['old']} → {row['new']}"
        if row["old"]
        else f"{row['field']}: {row['new']}"
        for row in entry.change_rows()
    )


# The audit as a file: every entry with who, where, what and the change itself.
AUDIT_COLUMNS = [
    exports.Column("When", lambda entry: entry.created_at),
    exports.Column("Who", lambda entry: entry.actor or "Tandem", related=("actor",)),
    exports.Column("E-mail", lambda entry: entry.actor.email if entry.actor else ""),
    exports.Column(
        "Partnership",
        lambda entry: entry.partnership.name if entry.partnership else "Program level",
        related=("partnership",),
    ),
    exports.Column("Action", lambda entry: entry.verb),
    exports.Column("Kind of item", lambda entry: entry.target_type),
    exports.Column("Item", lambda entry: entry.target_label),
    exports.Column("Item ID", lambda entry: entry.target_id),
    exports.Column("Deleted", lambda entry: entry.target_gone),
    exports.Column("Visibility", lambda entry: entry.visibility.capitalize()),
    exports.Column("Changes", _changes),
]
