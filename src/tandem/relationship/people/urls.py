"""Pages under /partnerships/<partnership_id>/people/: the seats of both sides."""

from django.urls import path

from tandem.relationship.people import views

urlpatterns = [
    path("", views.seat_list, name="seat_list"),
    path("new/", views.seat_create, name="seat_create"),
    path("seats/<str:seat_id>/edit/", views.seat_edit, name="seat_edit"),
    path("seats/<str:seat_id>/delete/", views.seat_delete, name="seat_delete"),
]
