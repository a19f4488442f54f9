"""Money settings under /partnerships/program/money/ (workspace members)."""

from django.urls import path

from tandem.exchange.money import views

urlpatterns = [
    path("", views.money_settings, name="money_settings"),
    path("base/", views.money_base, name="money_base"),
    path("rates/", views.money_rate, name="money_rate"),
]
