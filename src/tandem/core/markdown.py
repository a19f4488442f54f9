"""Markdown written by people, turned into HTML that is safe to show (sanitised by nh3).

Rendered once when the text is saved, not on every page view, and before the write
transaction opens: on SQLite a transaction holds the one write lock, so rendering inside it
would make every other writer wait (issue 20).

The parser is markdown-it-py, which follows CommonMark: its rules were written so that no
input makes parsing worse than linear, and it caps nesting. python-markdown's regular
expressions took a minute on 20,000 "[" (bench/markdown_render.py has the figures). With
the size bound below, any text renders in a fraction of a second."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

from tandem.core.errors import InvalidInput

MAX_LENGTH = 20_000

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "pre", "blockquote", "h3", "h4",
}  # fmt: skip

# Raw HTML in a note is shown as the text it is rather than parsed; nh3 still cleans what
# Markdown itself makes (links, code blocks …).
_parser = MarkdownIt("commonmark", {"html": False})


def render(text: str | None, *, field: str = "body") -> str:
    """HTML for ``text``. Call it outside any transaction; text longer than MAX_LENGTH is
    refused (forms and schemas refuse it first, this is the backstop for other callers)."""
    text = text or ""
    if len(text) > MAX_LENGTH:
        raise InvalidInput.on(
            field, f"Keep this under {MAX_LENGTH:,} characters (it has {len(text):,})."
        )
    return nh3.clean(
        _parser.render(text),
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        link_rel="noopener noreferrer nofollow",
    )
