"""Where an import's write pass spends its time: the seconds of each kind of statement (the
INSERT/COPY of each table, the lookup of the batches' keys, the ids' allocation), around
bench/import_csv.py's own preparation and run, in this one process. How the 60-second bar of
issue 17 was found (bench/results-import.md).

    .venv/bin/python -c "import sys; sys.path.insert(0, 'bench'); import import_csv, pathlib;
        import_csv.generate(pathlib.Path('/tmp/p/f.csv'), 200_000)"
    export DATABASE_URL=sqlite:////tmp/p/b.sqlite3 DEBUG=1 TANDEM_VAR_DIR=/tmp/p/var
    .venv/bin/python manage.py migrate && .venv/bin/python bench/profile_import.py /tmp/p/f.csv

(a freshly migrated database each time; PostgreSQL the same with its DATABASE_URL). A first
import of a source looks no key up, so "key lookup" appears from the second on.
"""

from __future__ import annotations

import collections
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent / "src"), str(BENCH)]


def timed(spent: collections.Counter[str], name: Callable[..., str], call: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            spent[name(*args)] += time.perf_counter() - began

    return wrapper


def main(csv_path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    import django

    django.setup()
    import import_csv
    from tandem.transfer.imports import writing

    spent: collections.Counter[str] = collections.Counter()
    writing.insert = timed(spent, lambda model, *_: f"insert {model.__name__}", writing.insert)
    writing._existing = timed(spent, lambda *_: "key lookup", writing._existing)
    writing._allocate = timed(spent, lambda *_: "ids", writing._allocate)
    writing._after_insert = timed(spent, lambda *_: "history (set-wise)", writing._after_insert)
    prepared = import_csv.prepare(csv_path)
    result = import_csv.run(prepared["job"])
    print(json.dumps({"seconds": {k: round(v, 1) for k, v in spent.items()}, **result}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
