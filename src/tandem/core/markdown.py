"""Markdown written by people, turned into HTML that is safe to show (sanitised by nh3).

Rendered once when the text is saved, not on every page view."""

from __future__ import annotations

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "pre", "blockquote", "h3", "h4",
}  # fmt: skip


def render(text: str) -> str:
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        link_rel="noopener noreferrer nofollow",
    )
