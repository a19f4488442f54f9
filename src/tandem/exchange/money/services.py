"""Setting a workspace's base currency and its quarterly rates (workspace members only).
Pages and the API both call these."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from babel.numbers import list_currencies
from django.db import IntegrityError, transaction

from tandem.core import services as core
from tandem.core.access import Actor
from tandem.core.errors import InvalidInput
from tandem.exchange.money.models import DEFAULT_BASE, Currencies, Rate


@cache
def iso_codes() -> frozenset[str]:
    """The ISO 4217 codes babel knows."""
    return frozenset(list_currencies())


def validate_currency(code: Any, *, field: str = "currency") -> str:
    """An ISO 4217 code, upper-cased; anything else is refused with a clear message."""
    text = str(code or "").strip().upper()
    if not text:
        raise InvalidInput.on(field, "Give a currency (a three-letter code such as EUR).")
    if text not in iso_codes():
        raise InvalidInput.on(field, f"{text[:12]} is not a currency code (ISO 4217, e.g. EUR).")
    return text


def validate_amount(value: Any, *, field: str = "amount") -> Decimal:
    """A non-negative decimal (never a float)."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput.on(field, "Give the amount as a number, e.g. 1250.00.") from None
    if not amount.is_finite():
        raise InvalidInput.on(field, "Give the amount as a number, e.g. 1250.00.")
    if amount < 0:
        raise InvalidInput.on(field, "An amount cannot be negative.")
    return amount


def _member(actor: Actor, workspace_id: int) -> None:
    actor.require(actor.is_member(workspace_id))


def currencies_of(workspace_id: int) -> Currencies:
    """The workspace's settings row (made with the default base on first use)."""
    row, _ = Currencies.objects.get_or_create(
        workspace_id=workspace_id, defaults={"base": DEFAULT_BASE}
    )
    return row


def set_base(*, actor: Actor, workspace_id: int, base: str, version: int | None) -> Currencies:
    """Choose the currency converted totals are shown in. Rates entered for the old base
    stay (they were entered against it), so a member re-enters them for the new one."""
    _member(actor, workspace_id)
    base = validate_currency(base, field="base")
    row = currencies_of(workspace_id)
    core.update(row, actor=actor, version=version, changes={"base": base})
    return row


def set_rate(
    *,
    actor: Actor,
    workspace_id: int,
    currency: str,
    year: int,
    quarter: int,
    rate: Any,
    version: int | None = None,
) -> Rate:
    """Enter (or correct, naming the version read) one currency's rate for a quarter."""
    _member(actor, workspace_id)
    currency = validate_currency(currency)
    base = currencies_of(workspace_id).base
    if currency == base:
        raise InvalidInput.on("currency", f"{currency} is the base currency: its rate is 1.")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInput.on("year", "Give a year between 2000 and 2100.")
    if quarter not in (1, 2, 3, 4):
        raise InvalidInput.on("quarter", "Give a quarter: 1, 2, 3 or 4.")
    value = validate_amount(rate, field="rate")
    if value == 0:
        raise InvalidInput.on("rate", "A rate must be more than zero.")
    existing = Rate.objects.filter(
        workspace_id=workspace_id, currency=currency, year=year, quarter=quarter
    ).first()
    if existing is not None:
        if version is None:
            raise InvalidInput.on(
                "currency",
                f"{currency} already has a rate for {year} Q{quarter} ({existing.rate}):"
                " correct that one (naming the version you read).",
            )
        core.update(existing, actor=actor, version=version, changes={"rate": value})
        return existing
    row = Rate(
        workspace_id=workspace_id,
        currency=currency,
        year=year,
        quarter=quarter,
        rate=value,
        created_by=actor.user,
    )
    try:
        with transaction.atomic():
            core.create(row, actor=actor, fields=("currency", "rate"))
    except IntegrityError:
        raise InvalidInput.on(
            "currency", "Someone entered this rate at the same time: reload and correct it."
        ) from None
    return row


def remove_rate(rate: Rate, *, actor: Actor, version: int | None) -> None:
    _member(actor, rate.workspace_id)
    core.delete(rate, actor=actor, version=version)
