"""Naming the two sides of a partnership from where the reader sits.

A partnership has our side (the workspace that runs it) and the partner's side. Which of them
is "we" depends on who reads: for a workspace member it is the workspace, for a partner-side
person the partner. Every page, live region, recap and e-mail that names a side asks here, so
that Pat at Northwind never reads "What we provide" above what Acme Analytics provides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tandem.core.access import Actor

if TYPE_CHECKING:
    from tandem.core.scope import Scope

OURS, PARTNER = "ours", "partner"


@dataclass(frozen=True)
class SideName:
    """One side as one reader calls it: ``name`` is the organisation's name either way;
    ``yours`` says whether the reader sits on it."""

    name: str
    yours: bool
    partner: bool

    @property
    def label(self) -> str:
        """A heading for the side: "Your side · Northwind" for the reader's own; for a
        member, "Partner side · Northwind"; for a partner-side reader, "Acme Analytics"."""
        if self.yours:
            return f"Your side · {self.name}"
        return f"Partner side · {self.name}" if self.partner else self.name

    @property
    def subject(self) -> str:
        """Who, at the start of a clause: "We" or "Acme Analytics"."""
        return "We" if self.yours else self.name

    @property
    def object(self) -> str:
        """Whom, after a verb: "us" or "Acme Analytics"."""
        return "us" if self.yours else self.name

    @property
    def possessive(self) -> str:
        """Whose, at the start of a clause: "Our" or "Acme Analytics's"."""
        return "Our" if self.yours else f"{self.name}'s"

    def does(self, verb: str) -> str:
        """``verb`` agreed with the side: "we provide" or "Northwind provides"."""
        return f"we {verb}" if self.yours else f"{self.name} {_third_person(verb)}"

    def __str__(self) -> str:
        return self.label


def _third_person(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "o")):
        return f"{verb}es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return f"{verb[:-1]}ies"
    return f"{verb}s"


def reads_as_member(reader: Actor | bool, partnership: Scope) -> bool:
    """Whether the reader sits on our side; a bool is taken as already decided (e-mails
    and recaps know their recipient's side without an actor)."""
    if isinstance(reader, bool):
        return reader
    return reader.is_member(partnership.workspace_id)


def side_name(side: str, reader: Actor | bool, partnership: Scope) -> SideName:
    """The ``side`` ("ours" or "partner", as every model's ``Side`` spells it) of
    ``partnership`` named for ``reader``."""
    if side not in (OURS, PARTNER):
        raise ValueError(f"Unknown side {side!r}")
    name = partnership.workspace.name if side == OURS else partnership.name
    return SideName(
        name=name,
        yours=(side == OURS) == reads_as_member(reader, partnership),
        partner=side == PARTNER,
    )


def sides_for(reader: Actor | bool, partnership: Scope) -> dict[str, SideName]:
    """Both sides for a template: ``sides.ours`` and ``sides.partner``, plus ``sides.mine``
    and ``sides.theirs`` (the reader's own and the other one)."""
    ours = side_name(OURS, reader, partnership)
    partner = side_name(PARTNER, reader, partnership)
    mine, theirs = (ours, partner) if ours.yours else (partner, ours)
    return {OURS: ours, PARTNER: partner, "mine": mine, "theirs": theirs}
