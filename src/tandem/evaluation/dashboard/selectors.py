"""The portfolio dashboard: every current partnership of a workspace sorted by health, with
its trend, stage, horizon, owner, value balance, open pipeline, alerts and what changed since
last week, and the workspace's focus warnings.

The cost does not grow with the number of partnerships or the length of their history: the
health and the alerts of every partnership decide the order and the filters, so they are read
from each partnership's standing (recomputed first where anything changed: ``standing``), and
SQL sorts, filters and pages; then one grouped query each reads the snapshots, the ledger and
the pipeline of the page's fifty partnerships only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Lower
from django.utils.safestring import SafeString

from tandem.core.access import Actor
from tandem.core.dates import quarter_of
from tandem.evaluation.alerts.selectors import Alert
from tandem.evaluation.alerts.standing import bring_up_to_date, stored_alerts
from tandem.evaluation.health import charts
from tandem.evaluation.health.models import HealthSnapshot, View
from tandem.evaluation.health.selectors import TREND_WEEKS
from tandem.exchange.ledger.models import Confirmation, Direction
from tandem.exchange.ledger.models import Entry as LedgerEntry
from tandem.exchange.money.selectors import Converted, base_currency, convert, rate_table
from tandem.exchange.money.templatetags.money import format_money
from tandem.exchange.pipeline.models import Opportunity, Outcome
from tandem.partners.models import Partnership
from tandem.relationship.people.selectors import Focus, focus_for

PAGE_SIZE = 50
VALUE_DAYS = 365  # the value balance covers the last 12 months, as the health's value part
ZERO = Decimal("0")

# Health bands, on the same marks as the health page's meters (low 50, high 75).
BANDS = {
    "healthy": "Healthy (75 and above)",
    "watch": "Watch (50–74)",
    "at_risk": "At risk (below 50)",
    "no_data": "Not enough data",
}
SHORT = {"healthy": "Healthy", "watch": "Watch", "at_risk": "At risk", "no_data": "No data"}
SORTS = {
    "health": "Weakest first",
    "-health": "Strongest first",
    "name": "Name A–Z",
    "alerts": "Most alerts",
}


def band_of(score: int | None) -> str:
    if score is None:
        return "no_data"
    if score >= 75:
        return "healthy"
    return "watch" if score >= 50 else "at_risk"


@dataclass
class Row:
    """One partnership on the dashboard."""

    partnership: Partnership
    score: int | None
    alerts: list[Alert]
    today: date
    owner_over: bool = False
    points: list[tuple[date, int | None]] = field(default_factory=list)
    sparkline: SafeString | str = ""
    last_week: int | None = None
    # What the partner gave minus what we gave in the last 12 months, per currency (disputed
    # entries left out).
    balance: dict[str, Decimal] = field(default_factory=dict)
    balance_count: tuple[int, int] = (0, 0)  # (partner gave, we gave) entries
    balance_converted: Converted | None = None
    pipeline: dict[str, Decimal] = field(default_factory=dict)
    pipeline_count: int = 0

    @property
    def band(self) -> str:
        return band_of(self.score)

    @property
    def band_label(self) -> str:
        return SHORT[self.band]

    @property
    def top_alert(self) -> Alert | None:
        return self.alerts[0] if self.alerts else None

    @property
    def new_alerts(self) -> list[Alert]:
        return [alert for alert in self.alerts if alert.is_new(self.today)]

    @property
    def delta(self) -> int | None:
        """The score now against last week's snapshot (None when either is missing)."""
        if self.score is None or self.last_week is None:
            return None
        return self.score - self.last_week

    @property
    def balance_text(self) -> list[str]:
        """The net balance per currency, signed: + the partner gave more."""
        return [
            f"{'+' if net > 0 else ''}{format_money(net, code)}"
            for code, net in self.balance.items()
        ]

    @property
    def pipeline_text(self) -> list[str]:
        return [format_money(amount, code) for code, amount in self.pipeline.items()]

    def as_json(self) -> dict[str, Any]:
        p = self.partnership
        converted = self.balance_converted
        return {
            "partnership_id": p.pk,
            "name": p.name,
            "stage": p.stage,
            "horizon": p.horizon,
            "owner": p.owner.get_full_name() if p.owner else None,
            "owner_id": p.owner_id,
            "owner_over_capacity": self.owner_over,
            "health": self.score,
            "health_band": self.band,
            "health_last_week": self.last_week,
            "health_delta": self.delta,
            "trend": [{"week": week, "score": score} for week, score in self.points],
            "value_balance": [{"currency": code, "net": net} for code, net in self.balance.items()],
            "value_balance_in_base": (
                {"currency": converted.base, "net": converted.total}
                if converted is not None and converted.total is not None
                else None
            ),
            "value_entries": {
                "partner_gave": self.balance_count[0],
                "we_gave": self.balance_count[1],
            },
            "open_pipeline": [
                {"currency": code, "amount": amount} for code, amount in self.pipeline.items()
            ],
            "open_deals": self.pipeline_count,
            "alerts": [alert.as_json() for alert in self.alerts],
            "new_alerts": len(self.new_alerts),
        }


@dataclass
class Dashboard:
    page: Page[Row]
    focus: Focus
    total: int  # partnerships before the filters
    with_alerts: int
    at_risk: int

    @property
    def warnings(self) -> list[str]:
        return self.focus.warnings


# The order of each sort, in SQL (no score sorts last either way: nothing to rank it by).
_SCORE_UP = F("standing__score").asc(nulls_last=True)
ORDERS: dict[str, tuple[Any, ...]] = {
    "health": (_SCORE_UP, Lower("name"), "pk"),
    "-health": (F("standing__score").desc(nulls_last=True), Lower("name"), "pk"),
    "name": (Lower("name"), "pk"),
    "alerts": (F("standing__alert_count").desc(), _SCORE_UP, Lower("name"), "pk"),
}
BAND_FILTERS = {
    "healthy": Q(standing__score__gte=75),
    "watch": Q(standing__score__gte=50, standing__score__lt=75),
    "at_risk": Q(standing__score__lt=50),
    "no_data": Q(standing__score__isnull=True),
}


def dashboard(
    actor: Actor,
    workspace_id: int,
    today: date,
    *,
    stage: str = "",
    owner: int | None = None,
    band: str = "",
    has_alerts: bool = False,
    sort: str = "health",
    page: Any = 1,
    per_page: int = PAGE_SIZE,
) -> Dashboard:
    """The workspace's current partnerships that ``actor`` sees (a member: all of them),
    filtered, sorted and cut to a page of 50 (``per_page``), the page's rows filled in. Each
    partnership's health and alerts are read from its standing, recomputed first where stale (see
    ``standing``): sorting, filtering and paging happen in SQL, so about twenty queries and
    fifty rows whatever the number of partnerships or the length of their history."""
    current = Partnership.objects.visible_to(actor).filter(
        workspace_id=workspace_id, archived_at__isnull=True
    )
    bring_up_to_date(workspace_id, current, today)
    counts = current.aggregate(
        total=Count("pk"),
        with_alerts=Count("pk", filter=Q(standing__alert_count__gt=0)),
        at_risk=Count("pk", filter=BAND_FILTERS["at_risk"]),
    )
    shown = current
    if stage:
        shown = shown.filter(stage=stage)
    if owner is not None:
        shown = shown.filter(owner_id=owner)
    if band:
        shown = shown.filter(BAND_FILTERS[band])
    if has_alerts:
        shown = shown.filter(standing__alert_count__gt=0)
    shown = shown.select_related("owner", "standing").order_by(*ORDERS.get(sort, ORDERS["health"]))
    found = Paginator(shown, per_page).get_page(page)
    focus = focus_for(workspace_id, shown=0)  # its warnings and who is over capacity
    over = {load.user.pk for load in focus.owners if load.over}
    rows = [
        Row(
            partnership=p,
            score=p.standing.score,
            alerts=stored_alerts(p.standing),
            today=today,
            owner_over=p.owner_id in over,
        )
        for p in found.object_list
    ]
    _fill(actor, workspace_id, today, rows)
    # The page of rows, numbered and counted as the page of partnerships it was cut from.
    page_of_rows = Page(rows, found.number, cast("Paginator[Row]", found.paginator))
    return Dashboard(page_of_rows, focus, counts["total"], counts["with_alerts"], counts["at_risk"])


def _fill(actor: Actor, workspace_id: int, today: date, rows: list[Row]) -> None:
    """The trend, value balance and open pipeline of ``rows``: one query each (and two for
    the base currency and the rates)."""
    if not rows:
        return
    by_id = {row.partnership.pk: row for row in rows}
    ids = sorted(by_id)
    monday = today - timedelta(days=today.weekday())
    weeks = [monday - timedelta(weeks=n) for n in range(TREND_WEEKS - 1, -1, -1)]
    view = View.ALL if actor.is_member(workspace_id) else View.SHARED
    scores: dict[int, dict[date, int | None]] = defaultdict(dict)
    for pk, week, score in HealthSnapshot.objects.filter(
        partnership_id__in=ids, view=view, week__gte=weeks[0], week__lte=weeks[-1]
    ).values_list("partnership_id", "week", "score"):
        scores[pk][week] = score
    last_week = monday - timedelta(weeks=1)
    for pk, row in by_id.items():
        row.points = [(week, scores[pk].get(week)) for week in weeks]
        row.last_week = scores[pk].get(last_week)
        row.sparkline = charts.sparkline(
            row.points, title=f"Health of {row.partnership.name}, 13 weeks"
        )

    given: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pk, direction, currency, amount, count in (
        LedgerEntry.objects.visible_to(actor)
        .filter(
            partnership_id__in=ids,
            occurred_on__gt=today - timedelta(days=VALUE_DAYS),
            occurred_on__lte=today,
        )
        .exclude(confirmation=Confirmation.DISPUTED)
        .order_by()
        .values("partnership_id", "direction", "currency")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .values_list("partnership_id", "direction", "currency", "total", "count")
    ):
        counts[pk][direction] += count
        if currency and amount is not None:
            side = given[pk][direction]
            side[currency] = side.get(currency, ZERO) + amount
    base = base_currency(workspace_id)
    rates = rate_table(workspace_id)
    year, quarter = quarter_of(today)
    for pk, row in by_id.items():
        theirs, ours = given[pk][Direction.PARTNER], given[pk][Direction.OURS]
        row.balance = {
            code: theirs.get(code, ZERO) - ours.get(code, ZERO)
            for code in sorted(set(theirs) | set(ours))
        }
        row.balance_count = (counts[pk][Direction.PARTNER], counts[pk][Direction.OURS])
        if len(row.balance) > 1 or (row.balance and base not in row.balance):
            row.balance_converted = convert(base, row.balance, year, quarter, rates)

    for pk, currency, amount, count in (
        Opportunity.objects.visible_to(actor)
        .filter(partnership_id__in=ids, stage__outcome=Outcome.OPEN)
        .order_by()
        .values("partnership_id", "currency")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .values_list("partnership_id", "currency", "total", "count")
    ):
        row = by_id[pk]
        row.pipeline_count += count
        if currency and amount is not None:
            row.pipeline[currency] = row.pipeline.get(currency, ZERO) + amount
    for row in rows:
        row.pipeline = dict(sorted(row.pipeline.items()))
