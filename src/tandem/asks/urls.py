"""Pages under /partnerships/<partnership_id>/ for asks and requests."""

from django.urls import path

from tandem.asks import views

urlpatterns = [
    path("", views.ask_list, name="ask_list"),
]
