"""Reading seats and the focus figures, always through the requesting actor.

``seat_warnings`` and ``focus_for`` are the two entry points other pages (the partnership
overview, a health panel) can call: each costs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, Q, Sum, Value, When, Window
from django.db.models.functions import RowNumber

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
    """One member's load: the hours a week they committed across the active partnerships
    they own (summed in SQL), how many, and the first of them by name (all of them unless
    the focus was read cut)."""

    membership: Membership
    committed: Decimal = Decimal("0")
    count: int = 0
    partnerships: list[Partnership] = field(default_factory=list)

    @property
    def user(self) -> Any:
        return self.membership.user

    @property
    def more(self) -> int:
        """Partnerships owned beyond those listed."""
        return self.count - len(self.partnerships)

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
    """The focus figures. ``strategic``, ``tactical``, ``unowned`` and each owner's
    ``partnerships`` list the first of them by name; the counts are of them all."""

    workspace: Workspace
    strategic: list[Partnership]
    tactical: list[Partnership]
    owners: list[OwnerLoad]
    unowned: list[Partnership]
    warnings: list[str]
    strategic_count: int = 0
    tactical_count: int = 0
    unowned_count: int = 0

    @property
    def active_count(self) -> int:
        return self.strategic_count + self.tactical_count

    @property
    def more_strategic(self) -> int:
        return self.strategic_count - len(self.strategic)

    @property
    def more_tactical(self) -> int:
        return self.tactical_count - len(self.tactical)

    @property
    def limit(self) -> int:
        return self.workspace.active_partnership_limit

    @property
    def over_limit(self) -> bool:
        return self.active_count > self.limit


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


UNOWNED_NAMED = 5  # the warning names the first five partnerships without an owner
_STRATEGIC = Q(horizon=Horizon.STRATEGIC)


def focus_for(
    workspace_id: int, *, shown: int | None = None, per_owner: int | None = None
) -> Focus:
    """The workspace's active partnerships by horizon, each member's committed hours
    against their capacity, and the warnings. The counts and hours are summed in SQL; the
    partnerships themselves are listed whole (``shown`` None: the API), or the first
    ``shown`` of each horizon and the first ``per_owner`` (default ``shown``) of each
    owner's (a page; 0 lists none). Five queries (a
    sixth names the first without an owner), however many partnerships."""
    workspace = Workspace.objects.only(
        "id", "name", "slug", "data_version", "version", "active_partnership_limit"
    ).get(pk=workspace_id)
    active = Partnership.objects.filter(
        workspace_id=workspace_id, stage=Stage.ACTIVE, archived_at__isnull=True
    )
    counts = active.aggregate(
        strategic=Count("pk", filter=_STRATEGIC), tactical=Count("pk", filter=~_STRATEGIC)
    )
    memberships = Membership.objects.filter(workspace_id=workspace_id).select_related("user")
    loads = {m.user_id: OwnerLoad(m) for m in memberships}
    unowned_count = 0
    for owner_id, hours, count in (
        active.order_by().values("owner_id").annotate(hours=Sum("hours_per_week"), n=Count("pk"))
        .values_list("owner_id", "hours", "n")
    ):  # fmt: skip
        load = loads.get(owner_id)
        if load is None:  # no owner, or one who left the workspace
            unowned_count += count
        else:
            load.committed, load.count = Decimal(hours or 0), count
    fields = (
        "id", "workspace_id", "name", "horizon", "stage", "hours_per_week", "owner_id",
        "owner__name", "owner__email", "kind",
    )  # fmt: skip
    listed = active.select_related("owner").only(*fields).order_by("name", "id")
    if shown is not None:
        per_owner = shown if per_owner is None else per_owner
        # The first of each horizon and of each owner's, by name: numbered in SQL.
        by_name = [F("name").asc(), F("id").asc()]
        strategic = Case(When(_STRATEGIC, then=Value(1)), default=Value(0))
        listed = listed.annotate(
            in_horizon=Window(RowNumber(), partition_by=[strategic], order_by=by_name),
            in_owner=Window(RowNumber(), partition_by=[F("owner_id")], order_by=by_name),
        ).filter(Q(in_horizon__lte=shown) | Q(in_owner__lte=per_owner))
    strategic_list: list[Partnership] = []
    tactical_list: list[Partnership] = []
    unowned: list[Partnership] = []
    for partnership in listed if shown != 0 or per_owner else []:
        if shown is None or partnership.in_horizon <= shown:  # type: ignore[attr-defined]
            if partnership.horizon == Horizon.STRATEGIC:
                strategic_list.append(partnership)
            else:
                tactical_list.append(partnership)
        load = loads.get(partnership.owner_id)  # type: ignore[arg-type]
        if load is None:
            unowned.append(partnership)
        elif per_owner is None or len(load.partnerships) < per_owner:
            load.partnerships.append(partnership)
    if unowned_count and shown is not None:  # the warning names the first few
        without = Q(owner_id__isnull=True) | ~Q(owner_id__in=list(loads))
        first = active.filter(without).select_related("owner").only(*fields)
        unowned = list(first.order_by("name", "id")[: max(shown, UNOWNED_NAMED)])
    owners = sorted(
        loads.values(), key=lambda load: (-load.committed, load.user.name, load.user.email)
    )
    focus = Focus(
        workspace=workspace,
        strategic=strategic_list,
        tactical=tactical_list,
        owners=owners,
        unowned=unowned,
        warnings=[],
        strategic_count=counts["strategic"],
        tactical_count=counts["tactical"],
        unowned_count=unowned_count,
    )
    if focus.over_limit:
        focus.warnings.append(
            f"{focus.active_count} active partnerships, past your limit of {focus.limit}."
            " Keep partnerships to a minimum: pause or end the ones you cannot run properly."
        )
    if unowned_count:
        names = ", ".join(p.name for p in unowned[:UNOWNED_NAMED])
        names += " …" if unowned_count > UNOWNED_NAMED else ""
        focus.warnings.append(
            f"{unowned_count} active partnership{'' if unowned_count == 1 else 's'} without a"
            f" day-to-day owner: {names}."
        )
    for load in owners:
        if load.over:
            focus.warnings.append(
                f"{load.user.get_full_name()} is committed to {_hours(load.committed)} h a week"
                f" across {load.count} partnership{'' if load.count == 1 else 's'}, over"
                f" their capacity of {_hours(load.capacity)} h."
            )
    return focus
