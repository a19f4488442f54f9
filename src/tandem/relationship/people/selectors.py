"""Reading seats and the focus figures, always through the requesting actor.

``seat_warnings`` and ``focus_for`` are the two entry points other pages (the partnership
overview, a health panel) can call: each costs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied

from tandem.accounts.models import Level, Membership, Workspace
from tandem.core.access import Actor
from tandem.core.scope import Scope, item_for
from tandem.core.sides import side_name
from tandem.partners.models import Horizon, Partnership, Stage
from tandem.relationship.people.models import Seat, Side

# Offered when a side has no seats yet: (role, what the seat is accountable for).
SUGGESTED: dict[str, list[tuple[str, str]]] = {
    Side.OURS: [
        ("Marketing lead", "Joint campaigns, co-branded content and the lead hand-off."),
        ("Sales lead", "Our sellers know the joint offer and register deals."),
    ],
    Side.PARTNER: [
        ("Partner champion", "Moves the partner's side along week to week."),
        ("Partner executive", "Unblocks budget and priorities on the partner's side."),
        ("Partner marketing lead", "Their half of the joint campaigns."),
    ],
}

SENIOR_LEVELS = {Level.EXECUTIVE, Level.MANAGER}


@dataclass
class FixedSeat:
    """Our side's day-to-day owner and executive sponsor, read from the partnership."""

    role: str
    accountability: str
    user: Any
    side: str = Side.OURS
    fixed: bool = True
    is_internal: bool = False

    @property
    def person(self) -> Any:
        return self.user

    @property
    def is_empty(self) -> bool:
        return self.user is None


def _seats(actor: Actor) -> Any:
    """Seats with their person and, through the actor, their contact: a contact made
    internal after the seat was filled is not the partner's to see, so to them the seat
    reads as empty."""
    return Seat.objects.select_related("user").with_visible(actor, "contact")


def seats_for(actor: Actor, partnership: Partnership) -> list[Seat]:
    return list(
        _seats(actor).visible_to(actor).in_scope(partnership).order_by("side", "position", "id")
    )


def seat_to_change(actor: Actor, partnership: Scope, seat_id: object) -> Seat:
    """A seat the actor may edit or delete: partner-side people change their own side's."""
    seat = item_for(_seats(actor), actor, partnership, seat_id)
    if seat.side == Side.OURS and not actor.is_member(partnership.workspace_id):
        raise PermissionDenied("Partner-side people edit the partner side's seats.")
    return seat


def fixed_seats(partnership: Partnership) -> list[FixedSeat]:
    return [
        FixedSeat(
            "Day-to-day owner",
            "Runs the partnership week to week: meetings, to-dos, the next step.",
            partnership.owner,
        ),
        FixedSeat(
            "Executive sponsor",
            "Backs the partnership with budget and priority; unblocks what the owner cannot.",
            partnership.sponsor,
        ),
    ]


def seat_board(actor: Actor, partnership: Partnership) -> dict[str, Any]:
    """Both sides' seats, ours led by the owner and sponsor, with the warnings."""
    seats = seats_for(actor, partnership)
    ours = [seat for seat in seats if seat.side == Side.OURS]
    theirs = [seat for seat in seats if seat.side == Side.PARTNER]
    return {
        "ours": [*fixed_seats(partnership), *ours],
        "theirs": theirs,
        "ours_custom": bool(ours),
        "warnings": seat_warnings(partnership, actor=actor, seats=seats),
    }


def _where(side: Any) -> str:
    """Where a seat sits, for a warning: nothing for a member's own side (the usual case)."""
    if side.yours:
        return "" if not side.partner else "on your side "
    return "on the partner side " if side.partner else f"on {side.name}'s side "


def seat_warnings(
    partnership: Partnership,
    *,
    actor: Actor | None = None,
    seats: list[Seat] | None = None,
    owner_level: str | None = None,
) -> list[str]:
    """What is wrong with who sits where (seed 001), as sentences. At most two queries
    (the seats unless given, the owner's level unless given), whatever the numbers.

    With an ``actor`` who is not a member (partner side), only the empty shared seats are
    named: staffing judgements about our people are ours."""
    if seats is None:
        query = Seat.objects.filter(partnership_id=partnership.pk)
        if actor is not None:
            query = query.visible_to(actor)
        seats = list(query.only("id", "role", "side", "user_id", "contact_id", "visibility"))
    reader = True if actor is None else actor
    warnings = [
        f"The {seat.role} seat {_where(side_name(seat.side, reader, partnership))}"
        "is empty: name someone for it."
        for seat in seats
        if seat.is_empty
    ]
    if not any(seat.side == Side.PARTNER for seat in seats):
        # The People page's "No seats on …'s side yet", said as a warning so that every
        # summary of the seats (the overview's card, the API) says it too.
        theirs = side_name(Side.PARTNER, reader, partnership)
        warnings.append(
            "No seats on your side yet: name your champion and the executive who backs"
            " the partnership."
            if theirs.yours
            else f"No seats on {theirs.name}'s side yet: name their champion and the"
            " executive who backs the partnership."
        )
    if actor is not None and not actor.is_member(partnership.workspace_id):
        return warnings
    owner_id, sponsor_id = partnership.owner_id, partnership.sponsor_id
    if partnership.horizon != Horizon.STRATEGIC:
        # An empty fixed seat reads "Not named yet" on the People page, whatever the horizon.
        if owner_id is None:
            warnings.append(
                "No day-to-day owner is named: name one on the partnership's edit page."
            )
        if sponsor_id is None:
            warnings.append(
                "No executive sponsor is named: name one on the partnership's edit page."
            )
    if partnership.horizon == Horizon.STRATEGIC:
        if owner_id is None:
            warnings.append(
                "This strategic partnership has no day-to-day owner: name one on its edit page."
            )
        if sponsor_id is None:
            warnings.append(
                "This strategic partnership has no executive sponsor: name one on its edit page."
            )
        if owner_id is not None and owner_id == sponsor_id:
            warnings.append(
                "The day-to-day owner is also the executive sponsor. A strategic partnership"
                " needs both: someone to run it and someone senior to back it."
            )
    elif owner_id is not None:
        if owner_level is None:
            owner_level = (
                Membership.objects.filter(workspace_id=partnership.workspace_id, user_id=owner_id)
                .values_list("level", flat=True)
                .first()
            )
        if owner_level in SENIOR_LEVELS:
            label = dict(Level.choices)[owner_level].lower()
            article = "an" if label[0] in "aeiou" else "a"
            warnings.append(
                f"The day-to-day owner of this tactical partnership is {article} {label}."
                " Tactical work moves faster with someone closer to it running it day to day."
            )
    return warnings


@dataclass
class OwnerLoad:
    membership: Membership
    partnerships: list[Partnership] = field(default_factory=list)

    @property
    def user(self) -> Any:
        return self.membership.user

    @property
    def committed(self) -> Decimal:
        return sum((p.hours_per_week for p in self.partnerships), Decimal("0"))

    @property
    def capacity(self) -> Decimal:
        return self.membership.capacity_hours

    @property
    def over(self) -> bool:
        return self.committed > self.capacity

    @property
    def percent(self) -> int:
        if not self.capacity:
            return 100 if self.committed else 0
        return min(100, int(self.committed * 100 / self.capacity))


@dataclass
class Focus:
    workspace: Workspace
    strategic: list[Partnership]
    tactical: list[Partnership]
    owners: list[OwnerLoad]
    unowned: list[Partnership]
    warnings: list[str]

    @property
    def active_count(self) -> int:
        return len(self.strategic) + len(self.tactical)

    @property
    def limit(self) -> int:
        return self.workspace.active_partnership_limit

    @property
    def over_limit(self) -> bool:
        return self.active_count > self.limit


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


def focus_for(workspace_id: int) -> Focus:
    """The workspace's active partnerships by horizon, each member's committed hours
    against their capacity, and the warnings. Three queries, however many partnerships."""
    workspace = Workspace.objects.only(
        "id", "name", "slug", "data_version", "version", "active_partnership_limit"
    ).get(pk=workspace_id)
    active = list(
        Partnership.objects.filter(
            workspace_id=workspace_id, stage=Stage.ACTIVE, archived_at__isnull=True
        )
        .select_related("owner")
        .only(
            "id",
            "workspace_id",
            "name",
            "horizon",
            "stage",
            "hours_per_week",
            "owner_id",
            "owner__name",
            "owner__email",
            "kind",
        )  # fmt: skip
        .order_by("name", "id")
    )
    memberships = Membership.objects.filter(workspace_id=workspace_id).select_related("user")
    loads = {m.user_id: OwnerLoad(m) for m in memberships}
    unowned = []
    for partnership in active:
        load = loads.get(partnership.owner_id)  # type: ignore[arg-type]
        if load is None:
            unowned.append(partnership)
        else:
            load.partnerships.append(partnership)
    owners = sorted(
        loads.values(), key=lambda load: (-load.committed, load.user.name, load.user.email)
    )
    focus = Focus(
        workspace=workspace,
        strategic=[p for p in active if p.horizon == Horizon.STRATEGIC],
        tactical=[p for p in active if p.horizon != Horizon.STRATEGIC],
        owners=owners,
        unowned=unowned,
        warnings=[],
    )
    if focus.over_limit:
        focus.warnings.append(
            f"{focus.active_count} active partnerships, past your limit of {focus.limit}."
            " Keep partnerships to a minimum: pause or end the ones you cannot run properly."
        )
    if unowned:
        names = ", ".join(p.name for p in unowned[:5]) + (" …" if len(unowned) > 5 else "")
        focus.warnings.append(
            f"{len(unowned)} active partnership{'' if len(unowned) == 1 else 's'} without a"
            f" day-to-day owner: {names}."
        )
    for load in owners:
        if load.over:
            focus.warnings.append(
                f"{load.user.get_full_name()} is committed to {_hours(load.committed)} h a week"
                f" across {len(load.partnerships)} partnership"
                f"{'' if len(load.partnerships) == 1 else 's'}, over their capacity of"
                f" {_hours(load.capacity)} h."
            )
    return focus
