"""Pages under /partnerships/<partnership_id>/ for people."""

from django.urls import path

from tandem.people import views

urlpatterns = [
    path("", views.seat_list, name="seat_list"),
]
