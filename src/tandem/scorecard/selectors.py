"""Reading the scorecard: the trailing-13-period grid with its colours, totals and averages,
quarter and year figures, and what someone still has to fill in.

The grid costs the same few queries whatever the number of measurables or the length of the
history: one for the page of measurables (and its count), one for the formulas of the
scorecard, one for the values of the periods shown (and of the quarter and year so far).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, DateField, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core.access import Actor
from tandem.core.scope import Scope, item_for
from tandem.scorecard import formula as formulas
from tandem.scorecard import sources, units
from tandem.scorecard.models import (
    Aggregate,
    Comparator,
    Entry,
    Frequency,
    Measurable,
    Source,
    goal_met,
    period_end,
    period_label,
    period_of,
    shift,
    trailing,
)

ENTRY_COLUMNS = (
    "measurable_id", "period_start", "value", "goal", "goal_high", "goal_note", "version"
)  # fmt: skip
LIST_COLUMNS = (
    "id", "workspace_id", "partnership_id", "visibility", "version", "title", "description",
    "owner_id", "unit", "currency", "comparator", "goal", "goal_high", "frequency", "aggregate",
    "formula", "source", "position", "owner__name", "owner__email", "created_at",
)  # fmt: skip


def measurables_in(actor: Actor, scope: Scope) -> QuerySet[Measurable]:
    """The measurables of a scorecard (a partnership's or the program's) the actor sees."""
    return Measurable.objects.visible_to(actor).in_scope(scope)


def measurable_for(actor: Actor, scope: Scope, measurable_id: object) -> Measurable:
    """One measurable of the scorecard, as the actor sees it (404 otherwise)."""
    queryset = Measurable.objects.select_related("owner", "partnership", "workspace")
    return item_for(queryset, actor, scope, measurable_id)


def measurable_list(actor: Actor, scope: Scope) -> QuerySet[Measurable]:
    """Weekly ones first, then monthly; each in the scorecard's own order."""
    return (
        measurables_in(actor, scope)
        .select_related("owner")
        .only(*LIST_COLUMNS)
        .order_by("-frequency", "position", "id")
    )


# --- The grid --------------------------------------------------------------------------------


@dataclass
class Cell:
    period_start: date
    value: Decimal | None
    shown: str
    # "on", "off", "missing", "plain" (a value, no goal), "open" (this period, no value yet),
    # "ahead" (a period to come)
    status: str
    goal: Decimal | None
    goal_high: Decimal | None
    goal_shown: str
    goal_note: str
    temporary: bool
    version: int | None
    current: bool
    # Why a computed cell has no value (a missing exchange rate); "" otherwise.
    note: str = ""
    computed: bool = False

    @property
    def key(self) -> str:
        return self.period_start.isoformat()


@dataclass
class Figure:
    """A total or an average over some periods, and how it compares with the goals."""

    value: Decimal | None
    shown: str
    status: str
    goal_shown: str
    periods: int
    note: str = ""


@dataclass
class Row:
    measurable: Measurable
    cells: list[Cell]
    trailing: Figure
    quarter: Figure
    year: Figure
    goal_shown: str
    formula_shown: str
    owner_name: str

    @property
    def is_formula(self) -> bool:
        return self.measurable.is_formula

    @property
    def is_computed(self) -> bool:
        return self.measurable.is_computed

    @property
    def source_shown(self) -> str:
        return self.measurable.get_source_display() if self.measurable.is_computed else ""


@dataclass
class Column:
    start: date
    label: str
    current: bool
    title: str


@dataclass
class Section:
    frequency: str
    label: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    quarter_label: str = ""
    year_label: str = ""


def goal_words(measurable: Any, goal: Decimal | None, goal_high: Decimal | None) -> str:
    """ "≥ 10", "≤ $5,000", "= Yes", "40%–60%"; "" without a goal."""
    if goal is None:
        return ""
    unit, currency = measurable.unit, measurable.currency
    shown = units.show(unit, goal, currency)
    if measurable.comparator == Comparator.BETWEEN:
        return f"{shown} – {units.show(unit, goal_high, currency)}"
    sign = {Comparator.AT_MOST: "≤", Comparator.EQUAL: "="}.get(measurable.comparator, "≥")
    return f"{sign} {shown}"


def _status(met: bool | None, value: Decimal | None) -> str:
    if value is None:
        return "missing"
    if met is None:
        return "plain"
    return "on" if met else "off"


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _periods_between(first: date, last: date, frequency: str) -> list[date]:
    start = period_of(first, frequency)
    if start < first:
        start = shift(start, frequency, 1)
    found = []
    while start <= last:
        found.append(start)
        start = shift(start, frequency, 1)
    return found


class _Values:
    """Values per (measurable, period), with formulas computed on demand."""

    def __init__(self, entries: Iterable[tuple[Any, ...]], nodes: dict[int, formulas.Node]):
        self.stored: dict[tuple[int, date], Decimal | None] = {}
        self.rows: dict[tuple[int, date], tuple[Any, ...]] = {}
        for row in entries:
            key = (row[0], row[1])
            self.rows[key] = row
            self.stored[key] = row[2]
        self.nodes = nodes
        self.computed: dict[tuple[int, date], Decimal | None] = {}
        self.notes: dict[tuple[int, date], str] = {}

    def fill(self, found: sources.Computed) -> None:
        """Values computed from the ledger or the pipeline, as if they were entered."""
        self.stored.update(found.values)
        self.notes.update(found.notes)

    def note(self, pk: int, period: date) -> str:
        return self.notes.get((pk, period), "")

    def value(self, pk: int, period: date, depth: int = 0) -> Decimal | None:
        node = self.nodes.get(pk)
        if node is None:
            return self.stored.get((pk, period))
        key = (pk, period)
        if key not in self.computed:
            self.computed[key] = None  # guards against a cycle that slipped in
            if depth < formulas.MAX_DEPTH:
                operands = {
                    ref: self.value(ref, period, depth + 1) for ref in formulas.references(node)
                }
                self.computed[key] = formulas.evaluate(node, operands)
        return self.computed[key]

    def entry(self, pk: int, period: date) -> tuple[Any, ...] | None:
        return self.rows.get((pk, period))


def _formula_nodes(
    actor: Actor, scope: Scope, wanted: list[Measurable]
) -> tuple[dict[int, Any], dict[int, tuple[str, str]]]:
    """Every formula the rows need, following formulas that use formulas, and every
    computed measurable they need, with its source and frequency (one query)."""
    nodes: dict[int, Any] = {}
    computed: dict[int, tuple[str, str]] = {}
    for measurable in wanted:
        if measurable.formula:
            nodes[measurable.pk] = _parsed(measurable.formula)
        elif measurable.is_computed:
            computed[measurable.pk] = (measurable.source, measurable.frequency)
    definitions = {
        pk: (text, source, frequency)
        for pk, text, source, frequency in measurables_in(actor, scope)
        .filter(~Q(formula="") | ~Q(source=Source.MANUAL))
        .values_list("pk", "formula", "source", "frequency")
    }
    pending = [ref for node in nodes.values() for ref in formulas.references(node)]
    while pending:
        pk = pending.pop()
        if pk in nodes or pk in computed or pk not in definitions:
            continue
        text, source, frequency = definitions[pk]
        if text:
            nodes[pk] = _parsed(text)
            pending.extend(formulas.references(nodes[pk]))
        elif source != Source.MANUAL:
            computed[pk] = (source, frequency)
    return nodes, computed


def _parsed(text: str) -> Any:
    try:
        return formulas.parse(text)
    except formulas.FormulaError:
        return ("num", None)  # never stored by the services; shown as missing if it were


def _figure(
    measurable: Measurable,
    periods: list[date],
    values: _Values,
    goals: dict[date, Any],
    current: date,
    tracked_from: date,
) -> Figure:
    """The total or average of the values present; compared with the goals of the periods
    that count: summed for a total, averaged for an average.

    The periods that count are those since the measurable was tracked (``tracked_from``)
    that are finished, missing or not, and the current one once it has a value. So a year
    total and a 13-week total of the same numbers are judged against goals for the same span,
    and a measurable started in October is not held to January's goals; a gap after it
    started still counts against it."""
    numbers = [v for p in periods if (v := values.value(measurable.pk, p)) is not None]
    notes = [n for p in periods if (n := values.note(measurable.pk, p))]
    periods = [
        p
        for p in periods
        if p >= tracked_from and (p < current or values.value(measurable.pk, p) is not None)
    ]
    average = measurable.aggregate == Aggregate.AVERAGE
    goal_low = [goals[p][0] for p in periods if goals[p][0] is not None]
    goal_high = [goals[p][1] for p in periods if goals[p][1] is not None]
    if notes:  # a period without its rate: no total that silently leaves it out
        return Figure(None, "—", "missing", "", len(periods), note=notes[0])
    if not numbers:
        return Figure(None, "—", "missing", "", len(periods))
    total = sum(numbers, Decimal(0))
    value = total / len(numbers) if average else total
    shown = units.show(measurable.unit, value, measurable.currency, average=average)
    status, goal_shown = "plain", ""
    comparable = len(goal_low) == len(periods) and (
        average or measurable.comparator != Comparator.EQUAL
    )
    if comparable and goal_low:
        low = sum(goal_low, Decimal(0))
        high = sum(goal_high, Decimal(0)) if len(goal_high) == len(periods) else None
        if average:
            low = low / len(goal_low)
            high = high / len(goal_high) if high is not None else None
        met = goal_met(value, measurable.comparator, low, high)
        status = _status(met, value)
        goal_shown = goal_words(measurable, low, high)
    return Figure(value, shown, status, goal_shown, len(periods))


def grid(
    actor: Actor, scope: Scope, measurables: Iterable[Measurable], *, end: date | None = None
) -> list[Section]:
    """The rows of ``measurables`` (already read through the actor's scope) for the 13
    periods ending with the one holding ``end`` (today), grouped by frequency."""
    today = timezone.localdate()
    end = end or today
    wanted = list(measurables)
    sections: dict[str, Section] = {}
    ranges: dict[str, tuple[list[date], list[date], list[date]]] = {}
    for frequency in (Frequency.WEEKLY, Frequency.MONTHLY):
        if not any(m.frequency == frequency for m in wanted):
            continue
        shown = trailing(end, frequency)
        last = shown[-1]
        last_day = min(period_end(last, frequency), max(today, last))
        quarter = _periods_between(_quarter_start(last), last_day, frequency)
        year = _periods_between(date(last.year, 1, 1), last_day, frequency)
        ranges[frequency] = (shown, quarter, year)
        current = period_of(today, frequency)
        word = "Week of" if frequency == Frequency.WEEKLY else ""
        sections[frequency] = Section(
            frequency=frequency,
            label="Weekly" if frequency == Frequency.WEEKLY else "Monthly",
            columns=[
                Column(
                    start=p,
                    label=period_label(p, frequency),
                    current=p == current,
                    title=f"{word} {p:%d %b %Y}".strip()
                    if word
                    else period_label(p, Frequency.MONTHLY),
                )
                for p in shown
            ],
            quarter_label=f"Q{(last.month - 1) // 3 + 1} {last.year}",
            year_label=str(last.year),
        )
    if not wanted:
        return []
    nodes, computed = _formula_nodes(actor, scope, wanted)
    ids = (
        {m.pk for m in wanted}
        | set(nodes)
        | {ref for node in nodes.values() for ref in formulas.references(node)}
    )
    first = min(min(r[0][0], r[2][0] if r[2] else r[0][0]) for r in ranges.values())
    last = max(r[0][-1] for r in ranges.values())
    entries = Entry.objects.filter(
        measurable_id__in=sorted(ids), period_start__gte=first, period_start__lte=last
    ).values_list(
        "measurable_id", "period_start", "value", "goal", "goal_high", "goal_note", "version"
    )
    values = _Values(entries, nodes)
    if computed:
        periods = {f: sorted({*r[0], *r[1], *r[2]}) for f, r in ranges.items()}
        found = sources.compute(actor, scope, computed, periods, today)
        values.fill(found)
        for measurable in wanted:
            if measurable.is_computed:
                measurable.unit = sources.unit_of(measurable.source)
                measurable.currency = found.currency
    for measurable in wanted:
        shown_periods, quarter, year = ranges[measurable.frequency]
        goals: dict[date, tuple[Decimal | None, Decimal | None, str, bool]] = {}
        for period in {*shown_periods, *quarter, *year}:
            row = values.entry(measurable.pk, period)
            if row is not None and row[3] is not None:
                goals[period] = (row[3], row[4], row[5], True)
            else:
                goals[period] = (measurable.goal, measurable.goal_high, "", False)
        cells = []
        current = period_of(today, measurable.frequency)
        for period in shown_periods:
            value = values.value(measurable.pk, period)
            goal, goal_high, note, temporary = goals[period]
            row = values.entry(measurable.pk, period)
            status = _status(goal_met(value, measurable.comparator, goal, goal_high), value)
            if value is None and period >= current:
                status = "ahead" if period > current else "open"
            cells.append(
                Cell(
                    period_start=period,
                    value=value,
                    shown=units.show(measurable.unit, value, measurable.currency),
                    status=status,
                    goal=goal,
                    goal_high=goal_high,
                    goal_shown=goal_words(measurable, goal, goal_high),
                    goal_note=note,
                    temporary=temporary,
                    version=row[6] if row is not None else None,
                    current=period == current,
                    note=values.note(measurable.pk, period),
                    computed=measurable.is_computed,
                )
            )
        # Tracked since its creation, or since the first value entered for an earlier period.
        tracked_from = period_of(timezone.localdate(measurable.created_at), measurable.frequency)
        for period in sorted({*shown_periods, *year}):
            if period >= tracked_from:
                break
            if values.value(measurable.pk, period) is not None:
                tracked_from = period
                break
        figure_args = (values, goals, current, tracked_from)
        owner = measurable.owner
        sections[measurable.frequency].rows.append(
            Row(
                measurable=measurable,
                cells=cells,
                trailing=_figure(measurable, shown_periods, *figure_args),
                quarter=_figure(measurable, quarter, *figure_args),
                year=_figure(measurable, year, *figure_args),
                goal_shown=goal_words(measurable, measurable.goal, measurable.goal_high),
                formula_shown="",
                owner_name=(owner.name or owner.email) if owner is not None else "",
            )
        )
    _name_formulas(actor, scope, [row for s in sections.values() for row in s.rows])
    return [section for section in sections.values() if section.rows]


def _name_formulas(actor: Actor, scope: Scope, rows: list[Row]) -> None:
    """Formulas shown with the names of what they use (one query, only if any)."""
    with_formula = [row for row in rows if row.measurable.formula]
    if not with_formula:
        return
    refs: set[int] = set()
    for row in with_formula:
        refs |= formulas.references(_parsed(row.measurable.formula))
    titles = dict(measurables_in(actor, scope).filter(pk__in=refs).values_list("pk", "title"))
    for row in with_formula:
        node = _parsed(row.measurable.formula)
        row.formula_shown = formulas.render(
            node, lambda pk: titles.get(pk, "hidden"), for_reading=True
        )


def row_for(actor: Actor, scope: Scope, measurable: Measurable, *, end: date | None = None) -> Row:
    sections = grid(actor, scope, [measurable], end=end)
    return sections[0].rows[0]


def dependent_rows(
    actor: Actor, scope: Scope, measurable: Measurable, *, end: date | None = None
) -> list[Row]:
    """The rows of formulas that use ``measurable`` (directly or through other formulas):
    they change when one of its values does."""
    definitions = dict(
        measurables_in(actor, scope)
        .exclude(formula="")
        .filter(frequency=measurable.frequency)
        .values_list("pk", "formula")
    )
    users: set[int] = set()
    frontier = {measurable.pk}
    while frontier:
        found = {
            pk
            for pk, text in definitions.items()
            if pk not in users and formulas.references(_parsed(text)) & frontier
        }
        users |= found
        frontier = found
    if not users:
        return []
    related = measurable_list(actor, scope).filter(pk__in=users)
    return [row for section in grid(actor, scope, related, end=end) for row in section.rows]


# --- What is left to fill in ------------------------------------------------------------------


def last_complete_period(frequency: str, today: date | None = None) -> date:
    """The period people report on: last week (Monday) or last month (the 1st). The weekly
    meeting reviews the week that just ended, so that is the one still to fill in."""
    today = today or timezone.localdate()
    return shift(period_of(today, frequency), frequency, -1)


def measurables_to_fill(actor: Actor, user: User) -> QuerySet[Measurable]:
    """The measurables ``user`` owns, that ``actor`` can see (partnerships and the program
    level), which take values (no formula) and have none yet for their last complete period
    (last week or last month, see ``last_complete_period``). Each comes with its
    ``partnership`` (None at the program level) and ``due_period`` (the period to fill).
    One query, whatever the number of measurables."""
    today = timezone.localdate()
    week = last_complete_period(Frequency.WEEKLY, today)
    month = last_complete_period(Frequency.MONTHLY, today)
    due = Case(
        When(frequency=Frequency.MONTHLY, then=Value(month)),
        default=Value(week),
        output_field=DateField(),
    )
    filled = Entry.objects.filter(
        measurable_id=OuterRef("pk"), value__isnull=False, period_start=OuterRef("due_period")
    )
    return (
        Measurable.objects.visible_to(actor)
        .filter(owner=user, formula="", source=Source.MANUAL)
        .filter(Q(partnership__isnull=True) | Q(partnership__archived_at__isnull=True))
        .annotate(due_period=due)
        .annotate(filled=Exists(filled))
        .filter(filled=False)
        .select_related("partnership")
        .order_by("partnership__name", "-frequency", "position", "id")
    )
