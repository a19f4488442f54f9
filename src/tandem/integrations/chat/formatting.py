"""What a chat post says, and how Slack and Teams each want it: pure functions, no database.

A builder turns an event's item (the catalogue's view of it, already cut for the partner
side) into a ``Post``; ``slack`` and ``teams`` shape any post for their incoming webhooks.
User text is escaped for Slack (&, <, >: in mrkdwn and, as Slack asks, in plain text too),
so a title cannot make a link or a mention; Teams' TextBlocks are given the text as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Slack's limits: a header's text, a section's text; we keep lists short in any case.
HEADER_LIMIT = 150
SECTION_LIMIT = 3000
LIST_LIMIT = 10
OPEN = "Open in Tandem"


@dataclass(frozen=True)
class Section:
    heading: str
    lines: list[str]


@dataclass(frozen=True)
class Post:
    title: str
    partnership: str
    link: str
    sections: list[Section] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def fallback(self) -> str:
        """The one line a notification shows."""
        return f"{self.title} ({self.partnership})"


def escape(text: Any) -> str:
    """Text safe in Slack mrkdwn: its three control characters escaped."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _listed(lines: list[str]) -> list[str]:
    if len(lines) <= LIST_LIMIT:
        return lines
    return [*lines[:LIST_LIMIT], f"and {len(lines) - LIST_LIMIT} more"]


# --- Builders: an item's view -> a post --------------------------------------------------


def ask_post(item: dict[str, Any], *, partnership: str, workspace: str, link: str) -> Post:
    asker = partnership if item.get("side") == "partner" else workspace
    facts = [("Asked by", asker)]
    if item.get("needed_by"):
        facts.append(("Needed by", str(item["needed_by"])))
    return Post(title=f"New ask: {item.get('title', '')}", partnership=partnership, link=link,
                facts=facts)  # fmt: skip


def deal_post(item: dict[str, Any], *, partnership: str, link: str) -> Post:
    facts = [("Account", str(item.get("account_name", "")))]
    if item.get("amount") not in (None, ""):
        facts.append(("Amount", f"{item['amount']} {item.get('currency', '')}".strip()))
    if item.get("expected_close"):
        facts.append(("Expected close", str(item["expected_close"])))
    if item.get("stage"):
        facts.append(("Stage", str(item["stage"])))
    return Post(
        title=f"Deal registered: {item.get('account_name', '')}",
        partnership=partnership,
        link=link,
        facts=facts,
    )


def recap_post(item: dict[str, Any], *, partnership: str, link: str) -> Post:
    """A meeting's recap as the partner side reads it (``item["recap"]`` is already cut)."""
    recap = item.get("recap") or {}
    sections = []
    headlines = [f"{h.get('kind', '')}: {h.get('text', '')}" for h in recap.get("headlines", [])]
    todos = [
        " · ".join(part for part in (t.get("title", ""), t.get("owner", ""), t.get("due_on", ""))
                   if part)
        for t in recap.get("todos", [])
    ]  # fmt: skip
    solved = [
        f"{i.get('title', '')}" + (f": {i['decision']}" if i.get("decision") else "")
        for i in recap.get("solved", [])
    ]
    for heading, lines in (
        ("Headlines", headlines),
        ("New to-dos", todos),
        ("Issues solved", solved),
    ):
        if lines:
            sections.append(Section(heading, _listed(lines)))
    facts = []
    if recap.get("minutes"):
        facts.append(("Length", f"{recap['minutes']} min"))
    if recap.get("rating_average"):
        facts.append(("Rating", str(recap["rating_average"])))
    kind = recap.get("kind_label") or "Meeting"
    return Post(title=f"{kind} ended: the recap", partnership=partnership, link=link,
                sections=sections, facts=facts)  # fmt: skip


def todos_post(todos: list[dict[str, Any]], *, partnership: str, day: str, link: str) -> Post:
    lines = [
        " · ".join(part for part in (t.get("title", ""), t.get("owner", "")) if part) for t in todos
    ]
    return Post(
        title=f"To-dos due tomorrow ({day})",
        partnership=partnership,
        link=link,
        sections=[Section(f"{len(todos)} due", _listed(lines))],
    )


def hello_post(*, partnership: str, link: str) -> Post:
    return Post(
        title="Tandem is connected",
        partnership=partnership,
        link=link,
        sections=[Section("", [
            "This channel will hear of the partnership's shared news: meeting recaps, new"
            " asks, to-dos due tomorrow and registered deals.",
        ])],
    )  # fmt: skip


# --- Formatters: a post -> the body each service takes ----------------------------------


def slack(post: Post) -> dict[str, Any]:
    """Slack's incoming webhook: a fallback ``text`` and Block Kit ``blocks``."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": escape(_cut(post.title, HEADER_LIMIT)),
                "emoji": False,
            },
        }
    ]
    if post.facts:
        blocks.append({
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": _cut(f"*{escape(name)}*\n{escape(value)}", 2000)}
                for name, value in post.facts[:10]
            ],
        })  # fmt: skip
    for section in post.sections:
        heading = f"*{escape(section.heading)}*\n" if section.heading else ""
        bullets = "\n".join(f"• {escape(line)}" if section.heading else escape(line)
                            for line in section.lines)  # fmt: skip
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": _cut(heading + bullets, SECTION_LIMIT)},
            }
        )
    where = _cut(f"{escape(post.partnership)} · Tandem", 2000)
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": where}]})
    blocks.append({
        "type": "actions",
        "elements": [{
            "type": "button",
            "text": {"type": "plain_text", "text": OPEN},
            "url": post.link,
        }],
    })  # fmt: skip
    return {"text": f"{escape(post.fallback)} <{post.link}|{OPEN}>", "blocks": blocks}


def teams(post: Post) -> dict[str, Any]:
    """Teams' Workflows (and incoming-webhook) shape: a message holding an Adaptive Card."""
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": post.title, "weight": "Bolder", "size": "Medium",
         "wrap": True},
        {"type": "TextBlock", "text": post.partnership, "isSubtle": True, "spacing": "None",
         "wrap": True},
    ]  # fmt: skip
    if post.facts:
        body.append(
            {
                "type": "FactSet",
                "facts": [{"title": name, "value": value} for name, value in post.facts],
            }
        )
    for section in post.sections:
        if section.heading:
            body.append({"type": "TextBlock", "text": section.heading, "weight": "Bolder",
                         "wrap": True})  # fmt: skip
        body.extend({"type": "TextBlock", "text": line, "wrap": True, "spacing": "Small"}
                    for line in section.lines)  # fmt: skip
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": body,
                    "actions": [{"type": "Action.OpenUrl", "title": OPEN, "url": post.link}],
                },
            }
        ],
    }


def body_for(kind: str, post: Post) -> dict[str, Any]:
    return teams(post) if kind == "teams" else slack(post)
