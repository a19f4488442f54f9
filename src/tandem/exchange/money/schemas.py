from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema


class CurrenciesOut(Schema):
    base: str
    version: int


class BaseIn(Schema):
    base: str = Field(description="An ISO 4217 code, e.g. EUR.")
    version: int | None = None


class RateOut(Schema):
    id: int
    currency: str
    year: int
    quarter: int
    rate: Decimal
    version: int
    created_at: datetime


class RateIn(Schema):
    currency: str = Field(description="An ISO 4217 code, e.g. EUR.")
    year: int
    quarter: int
    rate: Decimal | str = Field(
        description='One unit of the currency in the base currency: a decimal, e.g. "1.0825".'
    )
    version: int | None = Field(None, description="To correct an existing rate: its version.")
