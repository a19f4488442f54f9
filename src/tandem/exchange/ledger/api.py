"""The value exchange ledger over HTTP: the workspace's kinds, entries (the item type's
operations), confirm / dispute by the other side, and the balance figures. The same
services and selectors as the pages."""

from decimal import Decimal
from typing import Annotated, Any

from django.db import transaction
from ninja import Field, Router, Status

from tandem.core.access import Actor
from tandem.core.api.items import MEMBER, item_api, operation
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.schemas import Id
from tandem.core.http import TandemRequest
from tandem.core.scope import Program, Scope
from tandem.exchange.ledger import selectors, services
from tandem.exchange.ledger.models import Entry, Kind
from tandem.exchange.ledger.schemas import (
    BalanceOut,
    EntryAnswerIn,
    KindIn,
    KindOut,
    KindPatch,
    LedgerEntryOut,
    PortfolioRowOut,
)
from tandem.exchange.ledger.selectors import Flow
from tandem.exchange.ledger.services import ENTRIES
from tandem.exchange.pipeline.models import Opportunity

router = Router(tags=["Value exchange ledger"])
KINDS = "/workspaces/{workspace_id}/ledger/kinds"
BASE = "/partnerships/{partnership_id}/ledger"
ONE: dict[str, Any] = {"level": "partnership", "item": ENTRIES, "related": ("owner",)}


@operation(router, "get", KINDS, level=MEMBER, paginated=True, response=list[KindOut])
def list_kinds(request: TandemRequest, program: Program) -> Any:
    """The workspace's ledger kinds in order (archived ones included)"""
    return selectors.kinds_for(program.workspace_id)


@operation(router, "post", KINDS, level=MEMBER, response={201: KindOut})
def create_kind(request: TandemRequest, program: Program, payload: KindIn) -> Any:
    """Add a kind (it goes last)"""
    made = services.kind_create(
        actor=request.actor, workspace_id=program.workspace_id, name=payload.name
    )
    return Status(201, made)


@operation(router, "patch", f"{KINDS}/{{kind_id}}", level=MEMBER, item="kind_id", response=KindOut)
def update_kind(request: TandemRequest, program: Program, item_id: Id, payload: KindPatch) -> Any:
    """Rename, archive, restore or move a kind (send the version you read)"""
    kind = selectors.kinds_for(program.workspace_id).filter(pk=item_id).first()
    if kind is None:
        from django.http import Http404

        raise Http404("No such kind.")
    values = payload.dict(exclude={"version", "move"}, exclude_unset=True)
    refuse_nulls(values)
    version = payload.version
    with transaction.atomic():
        if values:
            services.kind_update(kind, actor=request.actor, version=version, **values)
            version = kind.version
        if payload.move is not None:
            services.kind_move(kind, actor=request.actor, version=version, direction=payload.move)
    return Kind.objects.get(pk=kind.pk)


def _kinds(actor: Actor, scope: Scope) -> Any:
    return Kind.objects.filter(workspace_id=scope.workspace_id)


def _opportunities(actor: Actor, scope: Scope) -> Any:
    return Opportunity.objects.visible_to(actor).filter(partnership_id=scope.pk)


def _flow(label: str, flow: Flow) -> dict[str, Any]:
    return {
        "label": label,
        "gave_count": flow.gave_count,
        "received_count": flow.received_count,
        "amounts": [
            {
                "currency": code,
                "gave": flow.gave.get(code, 0),
                "received": flow.received.get(code, 0),
            }
            for code in flow.currencies
        ],
    }


@operation(router, "get", f"{BASE}/balance", level="partnership", response=BalanceOut)
def ledger_balance(request: TandemRequest, partnership: Scope) -> Any:
    """The balance from the caller's side: what it gave and received, by kind and by quarter,
    per currency (disputed entries left out)"""
    side = services.side_of(request.actor, partnership)
    found = selectors.balance(request.actor, partnership, side=side)
    return {
        "side": side,
        "total": _flow("All", found.total),
        "by_kind": [_flow(row.name, row) for row in found.by_kind],
        "by_quarter": [_flow(row.label, row) for row in found.by_quarter],
        "pending": found.pending,
        "confirmed": found.confirmed,
        "disputed": found.disputed,
    }


item_api(
    ENTRIES,
    router,
    BASE,
    out=LedgerEntryOut,
    fields={
        "amount": (
            Annotated[
                Decimal | str | None,
                Field(
                    description='The value, a decimal never negative (e.g. "1250.00");'
                    " null or empty for none (then no currency)."
                ),
            ],
            None,
        )
    },
    filters=("direction", "confirmation"),
    order=("-occurred_on", "-id"),
    related=("kind", "owner", "created_by", "confirmed_by"),
    export_name="value exchange",
    nullable=("owner", "opportunity", "amount"),
    among={
        "kind": (_kinds, "Choose a kind of this workspace."),
        "opportunity": (_opportunities, "Choose an opportunity of this partnership."),
    },
    read=lambda actor, item: Entry.objects.select_related(
        "kind", "owner", "created_by", "confirmed_by"
    ).get(pk=item.pk),
    summaries={
        "list": "List ledger entries, latest first (filter by direction and confirmation)",
        "create": "Log what one side gave the other (the other side confirms or disputes it)",
        "get": "One ledger entry",
        "patch": "Change a ledger entry your side logged (send the version you read)",
        "delete": "Delete a ledger entry (workspace members)",
    },
)


@operation(router, "post", f"{BASE}/{{entry_id}}/confirm", **ONE, response=LedgerEntryOut)
def confirm_entry(
    request: TandemRequest, partnership: Scope, item: Entry, payload: EntryAnswerIn
) -> Any:
    """Confirm an entry the other side logged (a stale version answers 409)"""
    services.entry_answer(item, actor=request.actor, confirm=True, **payload.dict())
    return Entry.objects.select_related("kind", "owner", "created_by", "confirmed_by").get(
        pk=item.pk
    )


@operation(router, "post", f"{BASE}/{{entry_id}}/dispute", **ONE, response=LedgerEntryOut)
def dispute_entry(
    request: TandemRequest, partnership: Scope, item: Entry, payload: EntryAnswerIn
) -> Any:
    """Dispute an entry the other side logged, saying why (a stale version answers 409)"""
    services.entry_answer(item, actor=request.actor, confirm=False, **payload.dict())
    return Entry.objects.select_related("kind", "owner", "created_by", "confirmed_by").get(
        pk=item.pk
    )


@operation(
    router,
    "get",
    "/workspaces/{workspace_id}/ledger/portfolio",
    level=MEMBER,
    response=list[PortfolioRowOut],
)
def ledger_portfolio(request: TandemRequest, program: Program) -> Any:
    """Each partnership's balance: which give more than they get, and the reverse"""
    return [
        {
            "partnership_id": row.partnership_id,
            "name": row.name,
            "leaning": row.leaning,
            "partner_count": row.partner_count,
            "our_count": row.our_count,
            "amounts": [
                {"currency": r["currency"], "gave": r["we_gave"], "received": r["partner_gave"]}
                for r in row.rows
            ],
        }
        for row in selectors.portfolio_balances(request.actor, program.workspace_id)
    ]
