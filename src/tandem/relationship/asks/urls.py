"""Pages under /partnerships/<partnership_id>/asks/ for asks and requests."""

from django.urls import path

from tandem.core.item_pages import item_urls
from tandem.relationship.asks import views
from tandem.relationship.asks.services import ASKS

urlpatterns = [
    *item_urls(
        ASKS,
        app="asks",
        context=views.context,
        tab=("relationship", "asks"),
        created=views.created,
        list_view=views.ask_list,
        edit_view=views.ask_edit,
    ),
    path("<str:ask_id>/", views.ask_detail, name="ask_detail"),
    path("<str:ask_id>/answer/", views.ask_answer, name="ask_answer"),
    path("<str:ask_id>/withdraw/", views.ask_withdraw, name="ask_withdraw"),
    path("<str:ask_id>/reopen/", views.ask_reopen, name="ask_reopen"),
]
