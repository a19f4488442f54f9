"""A quarter's plan as a reader finds it: its content now, each side's latest signature,
whether both signed this very version, and what changed since each side signed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tandem.core.access import Actor
from tandem.core.clock import local_today
from tandem.core.dates import quarter_of
from tandem.core.scope import Scope
from tandem.core.sides import SideName, side_name
from tandem.plans import content as plan_content
from tandem.plans.models import OURS, PARTNER, PlanSignature

HISTORY = 100  # signatures a page shows; a quarter gathers a handful
QUARTERS = 12  # other quarters listed with their status

SIGNED, TO_SIGN_AGAIN, WAITING, NOT_SIGNED = "signed", "to_sign_again", "waiting", "not_signed"


@dataclass
class SideState:
    """One side of a plan: its latest signature, and whether it is of the current version."""

    side: str
    name: SideName | None
    latest: PlanSignature | None
    current: bool
    changes: plan_content.Changes

    @property
    def stale(self) -> bool:
        return self.latest is not None and not self.current


@dataclass
class PlanState:
    partnership: Scope
    year: int
    quarter: int
    content: dict[str, Any]
    content_hash: str
    sides: dict[str, SideState]

    @property
    def key(self) -> str:
        return plan_content.quarter_key(self.year, self.quarter)

    @property
    def label(self) -> str:
        return f"Q{self.quarter} {self.year}"

    @property
    def status(self) -> str:
        sides = self.sides.values()
        if all(side.current for side in sides):
            return SIGNED
        if any(side.stale for side in sides):
            return TO_SIGN_AGAIN
        if any(side.current for side in sides):
            return WAITING
        return NOT_SIGNED

    @property
    def status_words(self) -> str:
        return {
            SIGNED: "Signed by both sides",
            TO_SIGN_AGAIN: "Changed since signing",
            WAITING: "Signed by one side",
            NOT_SIGNED: "Not signed yet",
        }[self.status]

    @property
    def signed(self) -> bool:
        return self.status == SIGNED

    def to_sign(self) -> list[str]:
        """The sides whose signature of the current version is missing."""
        return [side.side for side in self.sides.values() if not side.current]

    def change_groups(self) -> list[dict[str, Any]]:
        """What changed since signing, once per signed version: both sides signed the same
        earlier version → one list."""
        groups: dict[str, dict[str, Any]] = {}
        for side in self.sides.values():
            if not side.stale or side.latest is None:
                continue
            group = groups.setdefault(
                side.latest.content_hash, {"sides": [], "changes": side.changes}
            )
            group["sides"].append(side)
        return list(groups.values())


def side_of(actor: Actor, partnership: Scope) -> str | None:
    """The side a person signs for: members for ours, the partnership's partner-side people
    for the partner; None for anyone else."""
    if actor.is_member(partnership.workspace_id):
        return OURS
    if partnership.pk in actor.partner_partnerships:
        return PARTNER
    return None


def latest_signatures(partnership: Scope, year: int, quarter: int) -> dict[str, PlanSignature]:
    """Each side's latest signature of the quarter's plan (two queries at most)."""
    found = {}
    for side in (OURS, PARTNER):
        signature = (
            PlanSignature.objects.filter(
                partnership_id=partnership.pk, year=year, quarter=quarter, side=side
            )
            .select_related("user")
            .order_by("-signed_at", "-id")
            .first()
        )
        if signature is not None:
            found[side] = signature
    return found


def plan_state(
    reader: Actor | bool | None, partnership: Scope, year: int, quarter: int
) -> PlanState:
    """The plan now and each side's standing: five queries whatever it holds. ``reader``
    names the sides (None: not named, for tasks)."""
    content = plan_content.build(partnership, year, quarter)
    content_hash = plan_content.digest(content)
    latest = latest_signatures(partnership, year, quarter)
    sides = {}
    for side in (OURS, PARTNER):
        signature = latest.get(side)
        current = signature is not None and signature.content_hash == content_hash
        changes = (
            plan_content.compare(signature.content, content)
            if signature is not None and not current
            else plan_content.Changes()
        )
        sides[side] = SideState(
            side=side,
            name=None if reader is None else side_name(side, reader, partnership),
            latest=signature,
            current=current,
            changes=changes,
        )
    return PlanState(partnership, year, quarter, content, content_hash, sides)


def history(partnership: Scope, year: int, quarter: int) -> list[PlanSignature]:
    """Every signature of the quarter's plan, newest first (one query)."""
    return list(
        PlanSignature.objects.filter(partnership_id=partnership.pk, year=year, quarter=quarter)
        .select_related("user")
        .order_by("-signed_at", "-id")[:HISTORY]
    )


@dataclass
class QuarterRow:
    year: int
    quarter: int
    ours: date | None
    partner: date | None
    same_version: bool

    @property
    def key(self) -> str:
        return plan_content.quarter_key(self.year, self.quarter)

    @property
    def label(self) -> str:
        return f"Q{self.quarter} {self.year}"

    @property
    def status(self) -> str:
        """As last signed: both sides on one version, one side only, or none."""
        if self.ours and self.partner:
            return "Signed by both sides" if self.same_version else "Signed different versions"
        if self.ours or self.partner:
            return "Signed by one side"
        return "Not signed"


def quarters(partnership: Scope, *, around: tuple[int, int]) -> list[QuarterRow]:
    """The quarters with signatures, latest first, plus ``around`` (the one shown) and this
    quarter: one query, over the latest signature of each quarter and side."""
    rows = (
        PlanSignature.objects.filter(partnership_id=partnership.pk)
        .order_by("-year", "-quarter", "-signed_at", "-id")
        .values_list("year", "quarter", "side", "content_hash", "signed_at")[: QUARTERS * 20]
    )
    latest: dict[tuple[int, int], dict[str, tuple[str, date]]] = {}
    for year, quarter, side, content_hash, signed_at in rows:
        latest.setdefault((year, quarter), {}).setdefault(side, (content_hash, signed_at))
    today = quarter_of(local_today(partnership))
    for key in (today, around):
        latest.setdefault(key, {})
    found = []
    for (year, quarter), sides in sorted(latest.items(), reverse=True)[:QUARTERS]:
        ours, partner = sides.get(OURS), sides.get(PARTNER)
        found.append(
            QuarterRow(
                year=year,
                quarter=quarter,
                ours=ours[1] if ours else None,
                partner=partner[1] if partner else None,
                same_version=bool(ours and partner and ours[0] == partner[0]),
            )
        )
    return found
