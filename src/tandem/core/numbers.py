"""Percentages as people read them, rounded once and here: half up (2/3 is 67%, 1/8 is 13%),
never floored and never banker's rounding, so the same figure reads the same on every page.
100% and 0% are kept for all and nothing: 199 of 200 reads 99%, 1 of 300 reads 1%."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def _half_up(value: Fraction) -> int:
    return int(
        (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
    )


def percent(part: float | Decimal | None, whole: float | Decimal | None) -> int | None:
    """``part`` as a whole percent of ``whole``; None when there is no whole to speak of."""
    if part is None or not whole:
        return None
    # Fractions keep 1/3 exact until the one rounding below.
    exact = Fraction(Decimal(part)) * 100 / Fraction(Decimal(whole))
    shown = _half_up(exact)
    if shown == 100 and exact < 100:
        return 99
    if shown == 0 and exact > 0:
        return 1
    return shown


def percent_shares(weights: Sequence[float | Decimal]) -> list[int]:
    """Each weight's share of the total, in whole percents that add up to exactly 100 (the
    largest remainders get the spare points): three equal weights read 34, 33, 33, not 33 × 3."""
    total = sum((Fraction(Decimal(w)) for w in weights), Fraction(0))
    if not total:
        return [0 for _ in weights]
    exact = [Fraction(Decimal(w)) * 100 / total for w in weights]
    shares = [int(share) for share in exact]
    spare = 100 - sum(shares)
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for index in by_remainder[:spare]:
        shares[index] += 1
    return shares
