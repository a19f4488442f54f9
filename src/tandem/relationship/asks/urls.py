"""Pages under /partnerships/<partnership_id>/asks/ for asks and requests."""

from django.urls import path

from tandem.relationship.asks import views

urlpatterns = [
    path("", views.ask_list, name="ask_list"),
    path("new/", views.ask_create, name="ask_create"),
    path("<str:ask_id>/", views.ask_detail, name="ask_detail"),
    path("<str:ask_id>/answer/", views.ask_answer, name="ask_answer"),
    path("<str:ask_id>/withdraw/", views.ask_withdraw, name="ask_withdraw"),
    path("<str:ask_id>/reopen/", views.ask_reopen, name="ask_reopen"),
    path("<str:ask_id>/edit/", views.ask_edit, name="ask_edit"),
    path("<str:ask_id>/delete/", views.ask_delete, name="ask_delete"),
]
