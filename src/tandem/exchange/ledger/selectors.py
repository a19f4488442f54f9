"""Reading the ledger, always through the reader (``visible_to``): the entries, the balance
of a partnership by kind and by quarter (per currency; given vs received), the value in a
period (the scorecard's computed measurables) and the portfolio's balances.

Disputed entries are left out of every figure: the other side says they did not happen.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet, Sum

from tandem.core.access import Actor
from tandem.core.dates import quarter_bounds, quarter_of
from tandem.core.expressions import QuarterOf, quarter_parts
from tandem.core.scope import Scope
from tandem.exchange.ledger.models import Confirmation, Direction, Entry, Kind
from tandem.exchange.ledger.services import ensure_kinds, side_of
from tandem.partners.models import Partnership

__all__ = [
    "Balance",
    "PartnershipBalance",
    "balance",
    "entries_for",
    "entries_in_period",
    "kinds_for",
    "portfolio_balances",
    "side_of",
    "value_in_period",
]

ZERO = Decimal("0")
Amounts = dict[str, Decimal]


def kinds_for(workspace_id: int, *, archived: bool = True) -> QuerySet[Kind]:
    """The workspace's kinds in order (the defaults made on first use)."""
    ensure_kinds(workspace_id)
    kinds = Kind.objects.filter(workspace_id=workspace_id).order_by("position", "id")
    return kinds if archived else kinds.filter(archived=False)


def entries_for(actor: Actor, scope: Scope) -> QuerySet[Entry]:
    return (
        Entry.objects.visible_to(actor)
        .in_scope(scope)
        .select_related("kind", "owner", "created_by", "confirmed_by", "opportunity")
        .order_by("-occurred_on", "-id")
    )


def _counted(actor: Actor, scope: Scope) -> QuerySet[Entry]:
    """The entries a figure counts: those the reader sees, not disputed."""
    rows = Entry.objects.visible_to(actor).exclude(confirmation=Confirmation.DISPUTED)
    if scope.is_program:
        return rows.filter(workspace_id=scope.workspace_id, partnership__isnull=False).order_by()
    return rows.filter(partnership_id=scope.pk).order_by()


def value_in_period(
    actor: Actor,
    scope: Scope,
    start: date,
    end: date,
    *,
    direction: str | None = None,
    confirmed_only: bool = False,
) -> Amounts:
    """The value given in [start, end] per currency (``direction``: "ours" given by us,
    "partner" given by the partner, None both); ``scope`` a partnership or the program level
    (every partnership). One query."""
    rows = _counted(actor, scope).filter(
        occurred_on__gte=start, occurred_on__lte=end, amount__isnull=False
    )
    if direction is not None:
        rows = rows.filter(direction=direction)
    if confirmed_only:
        rows = rows.filter(confirmation=Confirmation.CONFIRMED)
    found = rows.values("currency").annotate(total=Sum("amount")).order_by("currency")
    return {row["currency"]: row["total"] for row in found}


def entries_in_period(
    actor: Actor, scope: Scope, start: date, end: date, *, direction: str | None = None
) -> int:
    rows = _counted(actor, scope).filter(occurred_on__gte=start, occurred_on__lte=end)
    if direction is not None:
        rows = rows.filter(direction=direction)
    return rows.count()


@dataclass
class Flow:
    """What one side gave and what it received, per currency, with the entry counts."""

    gave: Amounts = field(default_factory=dict)
    received: Amounts = field(default_factory=dict)
    gave_count: int = 0
    received_count: int = 0

    def add(self, given: bool, currency: str, total: Decimal | None, count: int) -> None:
        amounts = self.gave if given else self.received
        if currency and total is not None:
            amounts[currency] = amounts.get(currency, ZERO) + total
        if given:
            self.gave_count += count
        else:
            self.received_count += count

    @property
    def currencies(self) -> list[str]:
        return sorted(set(self.gave) | set(self.received))

    @property
    def net(self) -> Amounts:
        """Received minus gave, per currency: positive means the reader's side got more."""
        return {
            code: self.received.get(code, ZERO) - self.gave.get(code, ZERO)
            for code in self.currencies
        }


@dataclass
class KindRow(Flow):
    name: str = ""
    kind_id: int = 0


@dataclass
class QuarterRow(Flow):
    year: int = 0
    quarter: int = 0

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.quarter}"


@dataclass
class Balance:
    """A partnership's balance from ``side``'s point of view ("you gave" = ``side`` gave)."""

    side: str
    total: Flow
    by_kind: list[KindRow]
    by_quarter: list[QuarterRow]
    pending: int = 0
    confirmed: int = 0
    disputed: int = 0
    # With ``last_quarters``: the quarter of the first counted entry when it is earlier
    # than the quarters in ``by_quarter``.
    earlier_from: QuarterRow | None = None

    @property
    def currencies(self) -> list[str]:
        return self.total.currencies


def balance(
    actor: Actor,
    partnership: Scope,
    *,
    side: str = Direction.OURS,
    last_quarters: int | None = None,
    today: date | None = None,
) -> Balance:
    """The balance of ``partnership`` as ``actor`` sees it, by kind and by quarter, per
    currency; ``side``: whose "gave" it is (ours by default). Three queries whatever the
    number of entries, each a few dozen rows: by kind (with how many entries are pending,
    confirmed or disputed, and the first and last day), by quarter (computed in SQL), and
    the kinds' order. ``last_quarters``: by quarter only that many calendar quarters, up to
    the last entry's (a page that shows a year reads a year, however long the history), or
    up to ``today``'s when the last entry is later."""
    total = Flow()
    kinds: dict[int, KindRow] = {}
    quarters: dict[tuple[int, int], QuarterRow] = {}
    states: dict[str, int] = defaultdict(int)
    counted = ~Q(confirmation=Confirmation.DISPUTED)
    first: date | None = None
    last: date | None = None
    by_kind = (
        Entry.objects.visible_to(actor)
        .filter(partnership_id=partnership.pk)
        .order_by()
        .values("kind_id", "direction", "currency")
        .annotate(
            total=Sum("amount", filter=counted),
            count=Count("id", filter=counted),
            pending=Count("id", filter=Q(confirmation=Confirmation.PENDING)),
            confirmed=Count("id", filter=Q(confirmation=Confirmation.CONFIRMED)),
            disputed=Count("id", filter=Q(confirmation=Confirmation.DISPUTED)),
            first=Min("occurred_on", filter=counted),
            last=Max("occurred_on", filter=counted),
        )
    )
    for row in by_kind:
        states[Confirmation.PENDING] += row["pending"]
        states[Confirmation.CONFIRMED] += row["confirmed"]
        states[Confirmation.DISPUTED] += row["disputed"]
        if not row["count"]:
            continue  # disputed entries only: left out of every figure
        first = min(first or row["first"], row["first"])
        last = max(last or row["last"], row["last"])
        given = row["direction"] == side
        total.add(given, row["currency"], row["total"], row["count"])
        kinds.setdefault(row["kind_id"], KindRow(kind_id=row["kind_id"])).add(
            given, row["currency"], row["total"], row["count"]
        )
    recent = _counted(actor, partnership)
    earlier_from = None
    if last_quarters and first and last:
        # Up to the last entry's quarter — or today's, when a date typed in the future would
        # otherwise push the recent quarters off the page (the entry stays in the totals).
        year, quarter = quarter_of(min(last, today or last))
        shown = year * 4 + quarter - 1 - (last_quarters - 1)  # the first, counted from year 0
        since = quarter_bounds(shown // 4, shown % 4 + 1)[0]
        until = quarter_bounds(year, quarter)[1]
        recent = recent.filter(occurred_on__gte=since, occurred_on__lte=until)
        if first < since:
            earlier_from = QuarterRow(year=first.year, quarter=quarter_of(first)[1])
    for quarter, direction, currency, amount, count in (
        recent.annotate(quarter=QuarterOf("occurred_on"))
        .values("quarter", "direction", "currency")
        .annotate(total=Sum("amount"), count=Count("id"))
        .values_list("quarter", "direction", "currency", "total", "count")
    ):
        y, q = quarter_parts(quarter)
        quarters.setdefault((y, q), QuarterRow(year=y, quarter=q)).add(
            direction == side, currency, amount, count
        )
    order: dict[int, int] = {}
    for index, (pk, name) in enumerate(
        Kind.objects.filter(workspace_id=partnership.workspace_id)
        .order_by("position", "id")
        .values_list("pk", "name")
    ):
        order[pk] = index
        if pk in kinds:
            kinds[pk].name = name
    return Balance(
        side=side,
        total=total,
        by_kind=sorted(kinds.values(), key=lambda row: order.get(row.kind_id, 0)),
        by_quarter=[quarters[key] for key in sorted(quarters)],
        pending=states.get(Confirmation.PENDING, 0),
        confirmed=states.get(Confirmation.CONFIRMED, 0),
        disputed=states.get(Confirmation.DISPUTED, 0),
        earlier_from=earlier_from,
    )


@dataclass
class PartnershipBalance:
    """One partnership across the portfolio: what the partner gave us and what we gave it,
    per currency. ``leaning``: "gives" (the partner gives more than it gets, in every
    currency with a value, or by count when none has one), "gets", "even" or "mixed"."""

    partnership_id: int
    name: str
    partner_gave: Amounts = field(default_factory=dict)
    we_gave: Amounts = field(default_factory=dict)
    partner_count: int = 0
    our_count: int = 0

    @property
    def currencies(self) -> list[str]:
        return sorted(set(self.partner_gave) | set(self.we_gave))

    @property
    def net(self) -> Amounts:
        """Partner gave minus we gave, per currency."""
        return {
            code: self.partner_gave.get(code, ZERO) - self.we_gave.get(code, ZERO)
            for code in self.currencies
        }

    @property
    def leaning(self) -> str:
        if self.net:
            signs = {(value > 0) - (value < 0) for value in self.net.values()}
        else:
            signs = {(self.partner_count > self.our_count) - (self.partner_count < self.our_count)}
        signs.discard(0)
        if not signs:
            return "even"
        if signs == {1}:
            return "gives"
        if signs == {-1}:
            return "gets"
        return "mixed"

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "currency": code,
                "partner_gave": self.partner_gave.get(code, ZERO),
                "we_gave": self.we_gave.get(code, ZERO),
                "net": net,
            }
            for code, net in self.net.items()
        ]


def portfolio_balances(actor: Actor, workspace_id: int) -> list[PartnershipBalance]:
    """Every partnership of the workspace with ledger entries the reader sees, by name. Two
    queries, whatever the number of partnerships and entries."""
    found: dict[int, PartnershipBalance] = {}
    rows = (
        Entry.objects.visible_to(actor)
        .filter(workspace_id=workspace_id, partnership__isnull=False)
        .exclude(confirmation=Confirmation.DISPUTED)
        .order_by()
        .values("partnership_id", "direction", "currency")
        .annotate(total=Sum("amount"), count=Count("id"))
    )
    for row in rows:
        item = found.setdefault(
            row["partnership_id"], PartnershipBalance(row["partnership_id"], "")
        )
        partner = row["direction"] == Direction.PARTNER
        amounts = item.partner_gave if partner else item.we_gave
        if row["currency"] and row["total"] is not None:
            amounts[row["currency"]] = amounts.get(row["currency"], ZERO) + row["total"]
        if partner:
            item.partner_count += row["count"]
        else:
            item.our_count += row["count"]
    names = dict(
        Partnership.objects.filter(pk__in=list(found)).values_list("pk", "name") if found else []
    )
    for pk, item in found.items():
        item.name = names.get(pk, "")
    return sorted(found.values(), key=lambda item: item.name.lower())
