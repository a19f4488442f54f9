"""How fast the CSV import reads: sniff, then every row, date and amount of a big export.

    python bench/import_reading.py                 # 1,000,000 rows
    python bench/import_reading.py --rows 100000

Writes (once; kept for the next run) a deterministic Salesforce-like opportunities export
under var/bench/: "$12,345.67" and plain amounts, US dates, a quoted description with a
comma or a line break now and then. Then times ``sniff``, a pass of ``rows`` alone and a
pass of ``rows`` with ``parse_date`` and ``parse_amount`` on every row (what the import's
engine adds to it), the same through the general paths only (no fast path, no cache: the
worst case), and prints rows/s and the process's peak memory. The bar (issue 17): a
million-row import in under 60 s in all, so reading must leave most of that to the writing.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")

from tandem.transfer.imports import reading  # noqa: E402

HEADER = ["Opportunity ID", "Opportunity Name", "Amount", "Close Date", "Stage", "Description"]
STAGES = ["Prospecting", "Qualification", "Proposal/Price Quote", "Closed Won", "Closed Lost"]


def generate(path: Path, count: int) -> None:
    rng = random.Random(17)  # noqa: S311 - test data, not secrets
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for n in range(count):
            cents = rng.randrange(100, 50_000_000)
            amount = f"${cents / 100:,.2f}" if n % 3 else f"{cents / 100:.2f}"
            close = f"{rng.randrange(1, 13)}/{rng.randrange(1, 29)}/{rng.randrange(2020, 2028)}"
            if n % 50 == 0:
                description = f"Renewal, {n % 7} seats\nCall back in spring"
            else:
                description = f"Deal {n}"
            writer.writerow(
                [f"006{n:012d}", f"Northwind {n}", amount, close, STAGES[n % 5], description]
            )
    partial.replace(path)


class Timer:
    """Wall and CPU seconds: on a shared machine the CPU figure is the steadier one."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def report(self, label: str, count: int | None = None) -> None:
        wall, cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        rate = f", {count / wall:,.0f} rows/s ({count / cpu:,.0f} per CPU second)" if count else ""
        print(f"{label}: {wall:.2f} s wall, {cpu:.2f} s CPU{rate}")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    path = ROOT / "var" / "bench" / f"import-reading-{args.rows}.csv"
    if not path.exists():
        timer = Timer()
        generate(path, args.rows)
        timer.report(f"generated {path.relative_to(ROOT)}")
    size = path.stat().st_size
    print(f"file: {args.rows:,} rows, {size / 1024 / 1024:.1f} MB; peak memory {peak_mb():.0f} MB")

    timer = Timer()
    sniffed = reading.sniff(path)
    timer.report(f"sniff ({sniffed.encoding}, {sniffed.delimiter!r}, whole-file encoding check)")

    timer = Timer()
    count = sum(1 for _ in reading.rows(path, sniffed))
    timer.report(f"rows alone, {count:,} rows", count)

    amount_at, date_at = sniffed.header.index("Amount"), sniffed.header.index("Close Date")
    timer = Timer()
    for _line, cells in reading.rows(path, sniffed):
        reading.parse_date(cells[date_at], "us")
        reading.parse_amount(cells[amount_at])
    timer.report("rows + parse_date + parse_amount", count)

    # The upper bound: every value through the general path, no fast path and no cache (as a
    # column of a million distinct dates, or amounts like "EUR 1 234,56", would).
    slow_date = reading._parse_date.__wrapped__  # type: ignore[attr-defined]
    slow_amount = reading._parse_amount.__wrapped__  # type: ignore[attr-defined]
    timer = Timer()
    for _line, cells in reading.rows(path, sniffed):
        slow_date(cells[date_at], "us")
        slow_amount(cells[amount_at], None)
    timer.report("rows + general paths only (no fast path, no cache)", count)
    print(f"peak memory: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
