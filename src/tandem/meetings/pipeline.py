"""The quarterly meeting's pipeline review (seed 003: "regular meetings that review sales
forecasts, sales funnels and leads"): forecast against actual for the quarter reviewed and the
next, and the funnel, each as the reader sees the deals (``visible_to``), from the pipeline's
own selectors.

``review`` returns plain words and numbers (strings), so the same dict feeds the live step and
the stored recap; the recap keeps two copies, one read as a member and one as the partner's
people see the deals (shared ones of the partnership only), and gives each reader theirs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from tandem.accounts.models import User
from tandem.core.access import Actor
from tandem.exchange.pipeline import funnel as funnels
from tandem.meetings import selectors
from tandem.meetings.models import Meeting


def _money(amount: Decimal) -> str:
    return format_decimal(amount, format="#,##0.00", locale="en")


def _percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.0f}%"


def partner_view(partnership: Any) -> Actor:
    """How the partner's people see the partnership's deals: its shared ones only."""
    return Actor(user=User(pk=0), partner_partnerships=frozenset({partnership.pk}))


def quarters_of(meeting: Meeting) -> list[tuple[int, int]]:
    """The quarter the meeting reviews, and the next one it plans."""
    shift = selectors.review_shift(meeting)
    return [
        selectors.quarter_of_shift(meeting, shift),
        selectors.quarter_of_shift(meeting, shift + 1),
    ]


def review(actor: Actor, partnership: Any, meeting: Meeting) -> dict[str, Any]:
    """Forecast against actual per quarter and currency, and the funnel, as ``actor`` sees
    the partnership's deals. A fixed number of queries whatever the number of deals."""
    quarters = funnels.forecast(actor, partnership, quarters_of(meeting))
    found = funnels.funnel(actor, partnership)
    leak = found.worst_leak
    return {
        "quarters": [
            {
                "label": quarter.label,
                "expected_deals": quarter.expected_deals,
                "won_deals": quarter.won_deals,
                "rows": [
                    {
                        "currency": currency,
                        "forecast": _money(forecast),
                        "actual": _money(actual),
                        "pipeline": _money(pipeline),
                    }
                    for currency, forecast, actual, pipeline in quarter.rows()
                ],
            }
            for quarter in quarters
        ],
        "funnel": {
            "deals": found.deals,
            "open": found.open,
            "won": found.won,
            "lost": found.lost,
            "win_rate": _percent(found.win_rate),
            "worst_leak": leak.name if leak is not None else "",
            "worst_leak_rate": _percent(leak.leak) if leak is not None else "",
            "stages": [
                {
                    "name": stage.name,
                    "reached": stage.reached,
                    "converted": _percent(stage.converted),
                    "lost_here": stage.lost_here,
                    "open_now": stage.open_now,
                }
                for stage in found.stages
            ],
        },
        "empty": found.is_empty and all(quarter.is_empty for quarter in quarters),
    }


def for_recap(meeting: Meeting, partnership: Any, everyone: Actor) -> dict[str, Any]:
    """Both copies the recap stores: ``all`` (a member's) and ``shared`` (the partner's)."""
    return {
        "all": review(everyone, partnership, meeting),
        "shared": review(partner_view(partnership), partnership, meeting),
    }


def of_reader(stored: dict[str, Any] | None, *, member: bool) -> dict[str, Any] | None:
    """The copy one reader may see: a member's, or the shared figures only."""
    if not stored:
        return None
    return stored.get("all") if member else stored.get("shared")
