"""How long one note's Markdown takes to render, on inputs made to be slow (issue 20).

Each input repeats a short unit up to a length; a renderer whose cost grows with the square
of the length shows it as a ×16 between 5,000 and 20,000 characters, a linear one as ×4.

    .venv/bin/python bench/markdown_render.py                      # what Tandem uses now
    .venv/bin/python bench/markdown_render.py --engine python-markdown  # the renderer before

Writes bench/markdown-<engine>.json and .md. An input that took longer than --cap seconds
is not tried at larger lengths (python-markdown needs `pip install markdown`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The note body's longest allowed length is the last size.
SIZES = (1_000, 5_000, 20_000)

INPUTS: dict[str, str] = {
    "open brackets `[`": "[",
    "open images `![`": "![",
    "unclosed links `[a](`": "[a](",
    "empty links `[](`": "[](",
    "asterisks `*`": "*",
    "underscores `_`": "_",
    "backticks `` ` ``": "`",
    "code spans `` `a`` ``": "`a``",
    "angle brackets `<`": "<",
    "open tags `<a `": "<a ",
    "emphasis openers `*a **b `": "*a **b ",
    "mixed emphasis `*a _`": "*a _",
    "bold runs `a**b`": "a**b",
    "nested quotes `> `": "> ",
    "nested lists `- `": "- ",
    "entities `&#`": "&#",
    "escapes `\\`": "\\",
    "link references `[x]:`": "[x]:",
    "complete links `[a](b) `": "[a](b) ",
    "list lines `- a⏎  `": "- a\n  ",
    "quoted list lines `> - a⏎`": "> - a\n",
    "emphasis on lines `*a⏎`": "*a\n",
}


def tandem_renderer() -> Callable[[str], str]:
    from tandem.core.markdown import render

    return render


def python_markdown_renderer() -> Callable[[str], str]:
    """The renderer before issue 20, with the same sanitising."""
    import markdown
    import nh3

    from tandem.core.markdown import ALLOWED_TAGS

    def render(text: str) -> str:
        html = markdown.markdown(text, extensions=["sane_lists"])
        return nh3.clean(
            html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}}, link_rel="noopener"
        )

    return render


ENGINES = {"tandem": tandem_renderer, "python-markdown": python_markdown_renderer}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=ENGINES, default="tandem")
    parser.add_argument("--cap", type=float, default=90.0, help="seconds; see above")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE.parent / "src"))
    render = ENGINES[args.engine]()

    rows = []
    for name, unit in INPUTS.items():
        row: dict[str, object] = {"input": name}
        for size in SIZES:
            text = (unit * (size // len(unit) + 1))[:size]
            started = time.perf_counter()
            render(text)
            seconds = time.perf_counter() - started
            row[str(size)] = round(seconds, 4)
            print(f"{name:34} {size:>6}: {seconds:8.3f} s", flush=True)
            if seconds > args.cap:
                break
        rows.append(row)

    result = {"engine": args.engine, "python": platform.python_version(), "rows": rows}
    out = HERE / f"markdown-{args.engine}"
    out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        f"# Rendering time of one note, {args.engine} (seconds)",
        "",
        "| input | " + " | ".join(f"{size:,} chars" for size in SIZES) + " |",
        "| --- | " + " | ".join("---:" for _ in SIZES) + " |",
    ]
    for row in rows:
        cells = [f"{row[str(size)]:.3f}" if str(size) in row else "—" for size in SIZES]
        lines.append(f"| {row['input']} | " + " | ".join(cells) + " |")
    out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print(f"wrote {out}.json and .md")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    main()
