"""The program funnel's tallies: each partnership's deals counted (``counting``) and stored
(``FunnelTally``), so that the program level of a thousand partnerships sums a few thousand
rows in SQL instead of reading two hundred thousand deals and their stage history.

Before they are read, the tallies of every partnership whose data version moved on since
they were counted (any change in it: a deal, a stage move), or that a change to the
workspace's stages made old, are counted again — usually none, one after a change. The
counts are those a member sees (every deal of the partnership): the program level is for
members only, and a partnership's own funnel reads its tallies for members alone (a
partner-side reader's counts the deals shared with them)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, overload

from django.db import transaction
from django.db.models import Count, F, Max, Min, QuerySet, Sum
from django.utils import timezone
from django_tasks import task

from tandem.accounts.models import Workspace
from tandem.core.dates import quarter_of
from tandem.exchange.pipeline import counting
from tandem.exchange.pipeline.counting import PartnershipFunnel
from tandem.exchange.pipeline.models import (
    Counted,
    FunnelTally,
    Opportunity,
    Outcome,
    ProgramTally,
    Stage,
    Tallied,
    TallyKind,
)
from tandem.partners.models import Partnership

CHUNK = 50  # partnerships counted together (and locked meanwhile): bounded queries and waits
UNIQUE = ["partnership", "kind", "stage_key", "year", "quarter", "currency"]
TOTALS = ("deals", "open", "won", "lost")  # a partnership's, on its ``Tallied`` row


def stages_key(workspace_id: int) -> str:
    """The workspace's stages as the counts depend on them (each one's order and outcome),
    in a few characters: tallies counted under other stages are stale, however and whenever
    the stages changed (renamed, moved, closing). One query."""
    stages = Stage.objects.filter(workspace_id=workspace_id).order_by("pk")
    shape = ";".join(f"{pk}:{position}:{outcome}" for pk, position, outcome in
                     stages.values_list("pk", "position", "outcome"))  # fmt: skip
    return hashlib.sha256(shape.encode()).hexdigest()[:32]


def _fresh(workspace_id: int) -> QuerySet[Tallied]:
    """The workspace's tallies counted from their partnership's current data version and
    under its current stages. One query (the stages' key) to build."""
    return Tallied.objects.filter(
        workspace_id=workspace_id,
        data_version=F("partnership__data_version"),
        stages_key=stages_key(workspace_id),
    )


def stale_ids(workspace_id: int) -> list[int]:
    """The workspace's partnerships (archived ones too: their deals count at the program
    level) without tallies, with tallies of an older data version, or counted under other
    stages. Two queries."""
    fresh = _fresh(workspace_id)
    return list(
        Partnership.objects.filter(workspace_id=workspace_id)
        .exclude(pk__in=fresh.values("partnership_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def refresh(workspace_id: int, partnership_ids: Iterable[int]) -> int:
    """Count and store the tallies of ``partnership_ids`` (of one workspace); returns how
    many partnerships were counted. Rows are upserted and the rows of an older count
    removed, in one transaction per chunk."""
    ids = sorted(set(partnership_ids))
    for start in range(0, len(ids), CHUNK):
        _refresh_chunk(workspace_id, ids[start : start + CHUNK])
    return len(ids)


def _refresh_chunk(workspace_id: int, chunk: list[int]) -> None:
    with transaction.atomic():
        # Two counts of the same partnerships take turns (PostgreSQL; SQLite has one writer):
        # the second reads after the first committed, so it is never the older one.
        list(
            Partnership.objects.select_for_update()
            .filter(pk__in=chunk)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        _count_chunk(workspace_id, chunk)


def _count_chunk(workspace_id: int, chunk: list[int]) -> None:
    # Taken before reading: a change made while we count leaves the tallies stale.
    moment = timezone.now()
    key = stages_key(workspace_id)
    versions = dict(
        Partnership.objects.filter(pk__in=chunk, workspace_id=workspace_id).values_list(
            "pk", "data_version"
        )
    )
    deals = Opportunity.objects.filter(workspace_id=workspace_id, partnership_id__in=chunk)
    lost_ids = Stage.objects.filter(workspace_id=workspace_id, outcome=Outcome.LOST).values_list(
        "pk", flat=True
    )

    def tally(pk: int, kind: str, **values: Any) -> FunnelTally:
        return FunnelTally(
            workspace_id=workspace_id, partnership_id=pk, kind=kind, refreshed_at=moment, **values
        )

    by = "partnership_id"
    rows = [
        tally(row[by], TallyKind.FURTHEST, stage_key=row["furthest"] or 0, deals=row["n"],
              open=row["open"], won=row["won"], lost=row["lost"])
        for row in counting.reached_rows(deals, by)
    ]  # fmt: skip
    rows += [
        tally(row[by], TallyKind.OPEN, stage_key=row["stage_id"], deals=row["n"])
        for row in counting.open_rows(deals, by)
    ]
    rows += [
        tally(row[f"opportunity__{by}"], TallyKind.DIED, stage_key=row["from_stage_id"] or 0,
              deals=row["n"])
        for row in counting.died_rows(deals, list(lost_ids), by)
    ]  # fmt: skip
    # Every quarter: the program page asks for the quarters around today.
    always = (date.min, date.max)
    rows += [
        tally(row[by], TallyKind.EXPECTED, stage_key=row["stage_id"], year=row["year"],
              quarter=row["quarter"], currency=row["currency"], deals=row["n"],
              amount=row["total"])
        for row in counting.expected_rows(deals, *always, by)
    ]  # fmt: skip
    rows += [
        tally(row[by], TallyKind.WON, year=row["year"], quarter=row["quarter"],
              currency=row["currency"], deals=row["n"], amount=row["total"])
        for row in counting.won_rows(deals, *always, by)
    ]  # fmt: skip
    # In the order of the unique key, as every count writes them.
    rows.sort(key=lambda row: (row.partnership_id, row.kind, row.stage_key, row.year,
                               row.quarter, row.currency))  # fmt: skip
    if rows:
        FunnelTally.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=UNIQUE,
            update_fields=["deals", "open", "won", "lost", "amount", "refreshed_at"],
        )
    FunnelTally.objects.filter(partnership_id__in=chunk, refreshed_at__lt=moment).delete()
    totals: dict[int, dict[str, int]] = {}
    for row in rows:
        if row.kind == TallyKind.FURTHEST:
            found = totals.setdefault(row.partnership_id, dict.fromkeys(TOTALS, 0))
            for name in TOTALS:
                found[name] += getattr(row, name)
    Tallied.objects.bulk_create(
        [
            Tallied(
                partnership_id=pk,
                workspace_id=workspace_id,
                data_version=version,
                stages_key=key,
                refreshed_at=moment,
                **totals.get(pk, {}),
            )
            for pk, version in versions.items()
        ],
        update_conflicts=True,
        unique_fields=["partnership"],
        update_fields=["data_version", "stages_key", "refreshed_at", *TOTALS],
    )


def bring_up_to_date(workspace_id: int) -> int:
    """Count again the stale tallies of the workspace; returns how many partnerships were."""
    stale = stale_ids(workspace_id)
    return refresh(workspace_id, stale) if stale else 0


def _source(workspace_id: int) -> str:
    """What the program's sums would be summed from: which partnerships are counted, from
    which of their data versions and under which stages, in a few characters. A count
    from newer data, a partnership removed (its tallies with it) or other stages change
    it, whatever order counts are saved in. One query."""
    found = Tallied.objects.filter(workspace_id=workspace_id).aggregate(
        n=Count("pk"),
        ids=Sum("partnership_id"),
        versions=Sum("data_version"),
        low=Min("stages_key"),
        high=Max("stages_key"),
    )
    shape = ":".join(str(found[name]) for name in ("n", "ids", "versions", "low", "high"))
    return hashlib.sha256(shape.encode()).hexdigest()[:32]


def program_rows(workspace_id: int) -> list[ProgramTally]:
    """The program's tallies, each key summed over the partnerships: read as stored, or
    summed again (and stored) when the partnerships' tallies changed since (brought up to
    date first). Four queries when nothing changed; a few hundred rows."""
    bring_up_to_date(workspace_id)
    source = _source(workspace_id)
    rows = list(ProgramTally.objects.filter(workspace_id=workspace_id).order_by("pk"))
    if rows and all(row.source == source for row in rows):
        return rows
    if not rows and not FunnelTally.objects.filter(workspace_id=workspace_id).exists():
        return []  # no deals: nothing to sum, nothing to write
    return _sum_program(workspace_id, source)


def _sum_program(workspace_id: int, source: str) -> list[ProgramTally]:
    # Summed before the transaction: SQLite's write lock (and PostgreSQL's row lock) is held
    # only for the delete and the insert of a few hundred rows.
    rows = [
        ProgramTally(workspace_id=workspace_id, source=source, **row)
        for row in FunnelTally.objects.filter(workspace_id=workspace_id)
        .order_by()
        .values(*UNIQUE[1:])
        .annotate(
            deals=Sum("deals"), open=Sum("open"), won=Sum("won"), lost=Sum("lost"),
            amount=Sum("amount"),
        )
        .order_by(*UNIQUE[1:])
    ]  # fmt: skip
    with transaction.atomic():
        # Two sums of one workspace take turns; the lock leaves writes that only refer to the
        # workspace (every item names it) free to go on (FOR NO KEY UPDATE on PostgreSQL).
        list(
            Workspace.objects.select_for_update(no_key=True)
            .filter(pk=workspace_id)
            .values_list("pk")
        )
        stored = ProgramTally.objects.filter(workspace_id=workspace_id)
        if _source(workspace_id) != source:
            return rows  # counted again meanwhile: these serve this read, the next sums anew
        if stored.exists() and not stored.exclude(source=source).exists():
            return list(stored.order_by("pk"))  # another read summed them meanwhile
        stored.delete()
        return ProgramTally.objects.bulk_create(rows)


def partnership_rows(workspace_id: int, partnership_id: int) -> list[FunnelTally]:
    """One partnership's tallies, counted again first when its data or the workspace's
    stages changed since. Three queries when nothing changed."""
    if not _fresh(workspace_id).filter(partnership_id=partnership_id).exists():
        refresh(workspace_id, [partnership_id])
    return list(FunnelTally.objects.filter(partnership_id=partnership_id).order_by("pk"))


class Tallies:
    """The tallies of a scope for one reading — the program's, brought up to date and summed,
    or one partnership's — read once however many of its figures a page shows (the counts,
    the forecast, the partnerships). They count every deal: for members only."""

    def __init__(self, workspace_id: int, partnership_id: int | None = None) -> None:
        self.workspace_id = workspace_id
        self.rows: Sequence[Counted] = (
            program_rows(workspace_id)
            if partnership_id is None
            else partnership_rows(workspace_id, partnership_id)
        )

    def counts(self) -> counting.Counts:
        """The funnel counts."""
        found = counting.Counts()
        for row in self.rows:
            stage = row.stage_key or None
            if row.kind == TallyKind.FURTHEST:
                found.add_reached(stage, row.deals, row.open, row.won, row.lost)
            elif row.kind == TallyKind.OPEN:
                found.open_now[row.stage_key] = row.deals
            elif row.kind == TallyKind.DIED:
                found.died_in[stage] = row.deals
        return found

    def forecast_rows(
        self, first: date, last: date
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The expected and won rows for the quarters from ``first`` to ``last``, as
        ``counting.expected_rows`` and ``won_rows`` give them."""
        low, high = quarter_of(first), quarter_of(last)
        expected, won = [], []
        for row in self.rows:
            if not low <= (row.year, row.quarter) <= high:
                continue
            values = {"year": row.year, "quarter": row.quarter, "currency": row.currency,
                      "total": row.amount, "n": row.deals}  # fmt: skip
            if row.kind == TallyKind.EXPECTED:
                expected.append({**values, "stage_id": row.stage_key})
            elif row.kind == TallyKind.WON:
                won.append(values)
        return expected, won

    def by_partnership(self, stalled_before: Any, open_stages: list[int]) -> ByPartnership:
        """The program's partnerships (of a program's tallies)."""
        return ByPartnership(self, stalled_before, open_stages)


class ByPartnership(Sequence[PartnershipFunnel]):
    """The program's partnerships with deals, most deals first (then by name), as a
    sequence a Paginator pages: its length is one count, a page one query of the tallies
    and one counting the stalled deals of the page's partnerships (deals open with no stage
    change since ``stalled_before``, in one of ``open_stages``: by id, from the deals'
    index, not joined to the stages). Made from the program's ``Tallies``, brought up to date."""

    def __init__(self, tallies: Tallies, stalled_before: Any, open_stages: list[int]) -> None:
        # Made from the program's tallies: its partnerships' totals are up to date.
        self.rows = (
            Tallied.objects.filter(workspace_id=tallies.workspace_id, deals__gt=0)
            .order_by("-deals", "partnership__name", "partnership_id")
            .values("partnership_id", "partnership__name", *TOTALS)
        )
        self.stalled_before = stalled_before
        self.open_stages = open_stages
        self._length: int | None = None

    def __len__(self) -> int:
        if self._length is None:
            self._length = self.rows.count()
        return self._length

    @overload
    def __getitem__(self, index: int) -> PartnershipFunnel: ...

    @overload
    def __getitem__(self, index: slice) -> list[PartnershipFunnel]: ...

    def __getitem__(self, index: int | slice) -> PartnershipFunnel | list[PartnershipFunnel]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        rows = list(self.rows[index])
        stalled = dict(
            Opportunity.objects.filter(
                partnership_id__in=[row["partnership_id"] for row in rows],
                stage_id__in=self.open_stages,
                stage_entered_at__lt=self.stalled_before,
            )
            .order_by()
            .values("partnership_id")
            .annotate(n=Count("id"))
            .values_list("partnership_id", "n")
        )
        return [
            PartnershipFunnel(
                partnership_id=row["partnership_id"],
                name=row["partnership__name"],
                deals=row["deals"],
                open=row["open"],
                won=row["won"],
                lost=row["lost"],
                stalled=stalled.get(row["partnership_id"], 0),
            )
            for row in rows
        ]


@task()
def refresh_tallies(period_start: str) -> str:
    """Every hour: count again the stale tallies of every workspace, so that the first view
    of the program funnel after a busy hour (or an import) is not the one that pays."""
    counted = sum(
        bring_up_to_date(workspace_id)
        for workspace_id in Workspace.objects.order_by("pk").values_list("pk", flat=True)
    )
    return f"{period_start}: {counted} partnerships counted"
