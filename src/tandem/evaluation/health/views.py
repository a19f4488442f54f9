"""The health page of a partnership (both sides, each their own view) and the workspace's
weights (members). Only partnerships: the program level has no health of its own (its
address answers 404; the portfolio dashboard shows every partnership's)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from tandem.core.clock import local_today
from tandem.core.decorators import access
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.core.views import page_context
from tandem.evaluation.health import charts, selectors, services
from tandem.evaluation.health.forms import WeightsForm
from tandem.evaluation.health.models import HealthSettings, View
from tandem.partners.models import Partnership


@access("partnership")
def health(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    actor = request.actor
    today = local_today(partnership)
    found = selectors.health_of(actor, [partnership], today)[partnership.pk]
    points = selectors.trend(actor, partnership, today)
    view = selectors.view_of(actor, partnership)
    page = page_context(
        request,
        partnership,
        ("health", ""),
        health=found,
        points=points,
        has_trend=any(score is not None for _, score in points),
        sparkline=charts.sparkline(points, title=f"Health of {partnership.name}, 13 weeks"),
        shared_only=view == View.SHARED,
    )
    return render(request, "health/health.html", page)


def _weights_page(
    request: TandemRequest, partnership: Partnership, form: WeightsForm | None, status: int = 200
) -> HttpResponse:
    if form is None:
        saved = HealthSettings.objects.filter(workspace_id=partnership.workspace_id).first()
        weights = selectors.weights_of([partnership.workspace_id])[partnership.workspace_id]
        form = WeightsForm(initial={**weights, "version": saved.version if saved else None})
    page = page_context(request, partnership, ("health", ""), form=form)
    return render(request, "health/weights.html", page, status=status)


@access("partnership_manage")
def health_weights(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    """The workspace's weights, reached from any of its partnerships' health pages."""
    if request.method != "POST":
        return _weights_page(request, partnership, None)
    form = WeightsForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.set_weights(
                actor=request.actor,
                workspace_id=partnership.workspace_id,
                weights=form.weights(),
                version=form.cleaned_data.get("version"),
            ),
        )
        if done is not None:
            messages.success(request, "Saved: the health weights of every partnership.")
            return redirect("health", partnership.pk)
    return _weights_page(request, partnership, form, status=400)
