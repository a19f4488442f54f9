"""The partnership's Value page (the ledger: the balance drawn and tabled, the entries, the
add form), one entry with the other side's confirm / dispute, and at the program level the
workspace's kinds and the portfolio's balances. Adding, editing and deleting entries follow
from the declaration (``services.ENTRIES``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tandem.core.clock import local_today
from tandem.core.decorators import access
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.core.scope import Scope
from tandem.core.views import one_click, page_context
from tandem.exchange.ledger import charts, selectors, services
from tandem.exchange.ledger.forms import AnswerForm, EntryForm, KindEditForm, KindForm
from tandem.exchange.ledger.models import Entry, Kind
from tandem.exchange.ledger.services import ENTRIES
from tandem.exchange.money import selectors as money

TAB = ("value", "ledger")
SHOWN_CURRENCIES = 3  # charts drawn; the table has them all
# The page's quarter table and charts: the last year, and only that year is read. Earlier
# quarters are in the export and the API's balance, so the page costs the same after three
# years as after three months.
SHOWN_QUARTERS = 4


def _charts(balance: selectors.Balance) -> list[dict[str, Any]]:
    """A quarter chart and a kind chart per currency (the largest first), or by number of
    entries when no entry has an amount."""
    drawn: list[dict[str, Any]] = []
    volume = {
        code: balance.total.gave.get(code, Decimal(0))
        + balance.total.received.get(code, Decimal(0))
        for code in balance.currencies
    }
    for code in sorted(volume, key=lambda code: -volume[code])[:SHOWN_CURRENCIES]:
        recent = balance.by_quarter
        for title, rows in (("By quarter", recent), ("By kind", balance.by_kind)):
            groups = [
                (
                    getattr(row, "label", "") or getattr(row, "name", ""),
                    row.gave.get(code, Decimal(0)),
                    row.received.get(code, Decimal(0)),
                )
                for row in rows
                if code in row.gave or code in row.received
            ]
            drawn.append(
                {
                    "title": f"{title}, {code}",
                    "svg": charts.paired_bars(groups, unit=code, title=title),
                }
            )
    if not drawn and balance.by_quarter:
        groups = [
            (row.label, Decimal(row.gave_count), Decimal(row.received_count))
            for row in balance.by_quarter
        ]
        drawn.append(
            {
                "title": "Entries by quarter",
                "svg": charts.paired_bars(groups, unit="entries", title="Entries by quarter"),
            }
        )
    return drawn


def _quarters(partnership: Scope, balance: selectors.Balance, base: str) -> list[dict[str, Any]]:
    """Each quarter's row with its totals in the base currency where the rates were entered."""
    rates = money.rate_table(partnership.workspace_id)
    quarters = []
    for row in reversed(balance.by_quarter):
        gave = money.convert(base, row.gave, row.year, row.quarter, rates)
        received = money.convert(base, row.received, row.year, row.quarter, rates)
        quarters.append(
            {
                "row": row,
                "gave": gave,
                "received": received,
                "missing": sorted(set(gave.missing) | set(received.missing)),
                "rates": sorted({**gave.rates, **received.rates}.items()),
            }
        )
    return quarters


def context(request: TandemRequest, partnership: Scope, form: EntryForm) -> dict[str, Any]:
    actor = request.actor
    side = services.side_of(actor, partnership)
    balance = selectors.balance(
        actor, partnership, side=side, last_quarters=SHOWN_QUARTERS, today=local_today(partnership)
    )
    entries = selectors.entries_for(actor, partnership)
    page = Paginator(entries, 25).get_page(request.GET.get("page"))
    base = money.base_currency(partnership.workspace_id)
    # The add form's kinds are the current ones: read once, for the form and for the
    # "no kinds" notice (a required select otherwise reads its choices twice).
    kind = form.fields["kind"]
    kind.widget.choices = list(kind.choices)  # type: ignore[attr-defined]
    return page_context(
        request,
        partnership,
        TAB,
        my_side=side,
        balance=balance,
        charts=_charts(balance),
        quarters=_quarters(partnership, balance, base),
        base=base,
        page=page,
        query="",
        form=form,
        has_kinds=bool(kind.widget.choices),
    )


@access("partnership")
def entry_list(request: TandemRequest, partnership: Scope) -> HttpResponse:
    """The Value page (kinds made on first use, so the add form offers them)."""
    services.ensure_kinds(partnership.workspace_id)
    form = EntryForm.for_request(request, partnership)
    return render(request, "ledger/entry_list.html", context(request, partnership, form))


def created(entry: Entry) -> str:
    return f"Logged: {entry.title}. The other side can now confirm it."


PEOPLE = ("owner", "created_by", "confirmed_by")


def _entry(request: TandemRequest, partnership: Scope, entry_id: str) -> Entry:
    entry = ENTRIES.one(request.actor, partnership, entry_id, related=PEOPLE)
    # The kind is the workspace's (not an item); the opportunity only if the reader sees it.
    entry.kind = Kind.objects.get(pk=entry.kind_id)
    if entry.opportunity_id is not None:
        from tandem.exchange.pipeline.models import Opportunity

        seen = Opportunity.objects.visible_to(request.actor).filter(pk=entry.opportunity_id)
        entry.seen_opportunity = seen.first()  # type: ignore[attr-defined]
    return entry


def _detail(
    request: TandemRequest, partnership: Scope, entry: Entry, form: AnswerForm | None = None
) -> HttpResponse:
    actor, open_ = request.actor, not partnership.is_archived
    side = services.side_of(actor, partnership)
    page = page_context(
        request,
        partnership,
        TAB,
        entry=entry,
        my_side=side,
        can_answer=services.can_confirm(actor, entry) and open_,
        can_edit=services.can_edit(actor, entry) and open_,
        answer_form=form or AnswerForm(initial={"version": entry.version}),
    )
    return render(request, "ledger/entry_detail.html", page, status=400 if form else 200)


@access("partnership")
def entry_detail(request: TandemRequest, partnership: Scope, entry_id: str) -> HttpResponse:
    return _detail(request, partnership, _entry(request, partnership, entry_id))


@access("partnership")
@require_POST
def entry_answer(request: TandemRequest, partnership: Scope, entry_id: str) -> HttpResponse:
    """Confirm (the "confirm" button) or dispute (with a note) as the other side."""
    entry = _entry(request, partnership, entry_id)
    form = AnswerForm(request.POST)
    confirm = "dispute" not in request.POST
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.entry_answer(
                entry,
                actor=request.actor,
                version=form.cleaned_data.get("version"),
                note=form.cleaned_data.get("note", ""),
                confirm=confirm,
            ),
        )
        if done is not None:
            messages.success(request, "Confirmed." if confirm else "Disputed: they will see why.")
            return redirect("entry_detail", partnership.pk, entry.pk)
    return _detail(request, partnership, entry, form)


# --- Program level: the kinds and the portfolio ---------------------------------------------


def _program(partnership: Scope) -> None:
    if not partnership.is_program:
        raise Http404("This page belongs to the workspace.")


def _kinds_page(
    request: TandemRequest, partnership: Scope, form: KindForm | None = None, status: int = 200
) -> HttpResponse:
    kinds = list(selectors.kinds_for(partnership.workspace_id))
    page = page_context(
        request,
        partnership,
        ("value", "kinds"),
        kinds=kinds,
        form=form or KindForm(),
    )
    return render(request, "ledger/kinds.html", page, status=status)


@access("partnership_manage", program=True)
def kind_list(request: TandemRequest, partnership: Scope) -> HttpResponse:
    _program(partnership)
    if request.method != "POST":
        return _kinds_page(request, partnership)
    form = KindForm(request.POST)
    if form.is_valid():
        made = run_service(
            form,
            lambda: services.kind_create(
                actor=request.actor,
                workspace_id=partnership.workspace_id,
                name=form.cleaned_data["name"],
            ),
        )
        if made is not None:
            messages.success(request, f"Kind added: {made.name}.")
            return redirect("kind_list", partnership.pk)
    return _kinds_page(request, partnership, form, status=400)


def _kind(partnership: Scope, kind_id: str) -> Kind:
    kind = selectors.kinds_for(partnership.workspace_id).filter(pk=parse_id(kind_id)).first()
    if kind is None:
        raise Http404("No such kind.")
    return kind


@access("partnership_manage", program=True)
@require_POST
def kind_edit(request: TandemRequest, partnership: Scope, kind_id: str) -> HttpResponse:
    _program(partnership)
    kind = _kind(partnership, kind_id)
    form = KindEditForm(request.POST, prefix=f"k{kind.pk}")
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.kind_update(
                kind,
                actor=request.actor,
                version=form.cleaned_data.get("version"),
                name=form.cleaned_data["name"],
            ),
        )
        if done is not None:
            messages.success(request, f"Renamed: {kind.name}.")
            return redirect("kind_list", partnership.pk)
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("kind_list", partnership.pk)


@access("partnership_manage", program=True)
@require_POST
def kind_archive(request: TandemRequest, partnership: Scope, kind_id: str) -> HttpResponse:
    _program(partnership)
    kind = _kind(partnership, kind_id)
    archived = not kind.archived
    return one_click(
        request,
        lambda version: services.kind_update(
            kind, actor=request.actor, version=version, archived=archived
        ),
        done=f"{kind.name} {'archived' if archived else 'restored'}.",
        then=reverse("kind_list", args=[partnership.pk]),
    )


@access("partnership_manage", program=True)
@require_POST
def kind_move(request: TandemRequest, partnership: Scope, kind_id: str) -> HttpResponse:
    _program(partnership)
    kind = _kind(partnership, kind_id)
    direction = request.POST.get("direction", "")
    return one_click(
        request,
        lambda version: services.kind_move(
            kind, actor=request.actor, version=version, direction=direction
        ),
        done=f"{kind.name} moved {direction}.",
        then=reverse("kind_list", args=[partnership.pk]),
    )


@access("partnership_manage", program=True)
def portfolio(request: TandemRequest, partnership: Scope) -> HttpResponse:
    """Across the portfolio: which partnerships give more than they get, and the reverse."""
    _program(partnership)
    rows = selectors.portfolio_balances(request.actor, partnership.workspace_id)
    groups = [
        ("gives", "Give more than they get", "The partner gave more than we gave them."),
        ("gets", "Get more than they give", "We gave more than the partner gave us."),
        ("mixed", "Mixed", "More one way in one currency, the other way in another."),
        ("even", "Even", "As much each way."),
    ]
    page = page_context(
        request,
        partnership,
        ("value", "portfolio"),
        groups=[
            {
                "key": key,
                "title": title,
                "help": text,
                "rows": [row for row in rows if row.leaning == key],
            }
            for key, title, text in groups
        ],  # fmt: skip
        has_rows=bool(rows),
    )
    return render(request, "ledger/portfolio.html", page)
