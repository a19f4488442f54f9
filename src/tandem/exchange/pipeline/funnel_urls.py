"""The funnel page under /partnerships/<partnership_id>/funnel/ (``program``: the portfolio)."""

from django.urls import path

from tandem.exchange.pipeline import funnel_views

urlpatterns = [
    path("", funnel_views.funnel, name="funnel"),
]
