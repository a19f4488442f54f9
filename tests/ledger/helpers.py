"""Rows the ledger's tests need from the pipeline, made directly (no pipeline service)."""

from __future__ import annotations

from typing import Any

from tandem.exchange.pipeline.models import Opportunity, Stage


def opportunity(world: Any, partnership: Any, **values: Any) -> Opportunity:
    stage, _ = Stage.objects.get_or_create(
        workspace=world.acme, name="Registered (test)", defaults={"probability": 10}
    )
    return Opportunity.objects.create(
        workspace=world.acme,
        partnership=partnership,
        account_name=values.pop("account_name", "Contoso"),
        account_key="contoso",
        stage=stage,
        **values,
    )
