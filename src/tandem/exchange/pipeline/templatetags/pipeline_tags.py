"""How the pipeline's pages write money: ``{{ amount|deal_money:currency }}``."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency
from django import template

register = template.Library()


@register.filter
def deal_money(amount: Decimal | None, currency: str) -> str:
    """``12500`` and ``EUR`` → ``€12,500.00``; nothing → an em dash."""
    if amount is None:
        return "—"
    if not currency:
        return f"{amount:,.2f}"
    return format_currency(amount, currency, locale="en")
