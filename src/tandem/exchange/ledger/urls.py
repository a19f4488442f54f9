"""Pages under /partnerships/<partnership_id>/value/: the partnership's ledger and, at the
program level (``program``), the workspace's kinds and the portfolio's balances."""

from django.urls import path

from tandem.core.item_pages import item_urls
from tandem.exchange.ledger import views
from tandem.exchange.ledger.services import ENTRIES

urlpatterns = [
    path("kinds/", views.kind_list, name="kind_list"),
    path("kinds/<str:kind_id>/edit/", views.kind_edit, name="kind_edit"),
    path("kinds/<str:kind_id>/archive/", views.kind_archive, name="kind_archive"),
    path("kinds/<str:kind_id>/move/", views.kind_move, name="kind_move"),
    path("portfolio/", views.portfolio, name="value_portfolio"),
    *item_urls(
        ENTRIES,
        app="ledger",
        context=views.context,
        tab=views.TAB,
        created=views.created,
        list_view=views.entry_list,
        back=lambda scope, entry: views.reverse("entry_list", args=[scope.pk]),
        export_name="value exchange",
    ),
    path("<str:entry_id>/", views.entry_detail, name="entry_detail"),
    path("<str:entry_id>/answer/", views.entry_answer, name="entry_answer"),
]
