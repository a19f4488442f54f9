"""Money settings of a workspace (program level, members only): the base currency converted
totals are shown in, and the rate of each other currency per quarter."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.core.dates import quarter_of
from tandem.core.decorators import access
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.core.views import page_context
from tandem.exchange.money import selectors, services
from tandem.exchange.money.forms import BaseForm, RateForm

TAB = ("value", "money")


def _program(partnership: Scope) -> None:
    if not partnership.is_program:
        raise Http404("Money settings belong to the workspace.")


def _page(
    request: TandemRequest,
    partnership: Scope,
    base_form: BaseForm | None = None,
    rate_form: RateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    row = services.currencies_of(partnership.workspace_id)
    year, quarter = quarter_of(timezone.localdate())
    context = page_context(
        request,
        partnership,
        TAB,
        currencies=row,
        base_form=base_form or BaseForm(initial={"base": row.base, "version": row.version}),
        rate_form=rate_form or RateForm(initial={"year": year, "quarter": quarter}),
        page=Paginator(selectors.rates_for(partnership.workspace_id), 40).get_page(
            request.GET.get("page")
        ),
        query="",
    )
    return render(request, "money/settings.html", context, status=status)


@access("partnership_manage", program=True)
def money_settings(request: TandemRequest, partnership: Scope) -> HttpResponse:
    _program(partnership)
    return _page(request, partnership)


@access("partnership_manage", program=True)
@require_POST
def money_base(request: TandemRequest, partnership: Scope) -> HttpResponse:
    _program(partnership)
    form = BaseForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.set_base(
                actor=request.actor,
                workspace_id=partnership.workspace_id,
                base=form.cleaned_data["base"],
                version=form.cleaned_data.get("version"),
            ),
        )
        if done is not None:
            messages.success(request, f"Base currency: {done.base}.")
            return redirect("money_settings", partnership.pk)
    return _page(request, partnership, base_form=form, status=400)


@access("partnership_manage", program=True)
@require_POST
def money_rate(request: TandemRequest, partnership: Scope) -> HttpResponse:
    _program(partnership)
    form = RateForm(request.POST)
    if form.is_valid():
        values: dict[str, Any] = dict(form.cleaned_data)
        done = run_service(
            form,
            lambda: services.set_rate(
                actor=request.actor, workspace_id=partnership.workspace_id, **values
            ),
        )
        if done is not None:
            messages.success(request, f"Rate saved: {done}.")
            return redirect("money_settings", partnership.pk)
    return _page(request, partnership, rate_form=form, status=400)
