"""A workspace's money settings over HTTP (members): the base currency and quarterly rates.
The same services as the settings page."""

from typing import Any

from ninja import Router, Status

from tandem.core.api.items import MEMBER, operation
from tandem.core.http import TandemRequest
from tandem.core.scope import Program
from tandem.exchange.money import selectors, services
from tandem.exchange.money.schemas import BaseIn, CurrenciesOut, RateIn, RateOut

router = Router(tags=["Money"])
BASE = "/workspaces/{workspace_id}/currency"
RATES = "/workspaces/{workspace_id}/rates"


@operation(router, "get", BASE, level=MEMBER, response=CurrenciesOut)
def get_base_currency(request: TandemRequest, program: Program) -> Any:
    """The workspace's base currency (converted totals are shown in it)"""
    return services.currencies_of(program.workspace_id)


@operation(router, "put", BASE, level=MEMBER, response=CurrenciesOut)
def set_base_currency(request: TandemRequest, program: Program, payload: BaseIn) -> Any:
    """Choose the base currency (send the version you read)"""
    return services.set_base(
        actor=request.actor,
        workspace_id=program.workspace_id,
        base=payload.base,
        version=payload.version,
    )


@operation(router, "get", RATES, level=MEMBER, paginated=True, response=list[RateOut])
def list_rates(request: TandemRequest, program: Program) -> Any:
    """The rates entered, latest quarter first"""
    return selectors.rates_for(program.workspace_id)


@operation(router, "post", RATES, level=MEMBER, response={201: RateOut})
def set_rate(request: TandemRequest, program: Program, payload: RateIn) -> Any:
    """Enter a currency's rate for a quarter, or correct one (with the version you read)"""
    return Status(
        201,
        services.set_rate(actor=request.actor, workspace_id=program.workspace_id, **payload.dict()),
    )
