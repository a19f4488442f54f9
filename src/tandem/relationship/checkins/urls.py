"""Pages under /partnerships/<partnership_id>/checkins/ for check-ins and events."""

from django.urls import path

from tandem.relationship.checkins import views

urlpatterns = [
    path("", views.checkin_list, name="checkin_list"),
    path("new/", views.checkin_create, name="checkin_create"),
    path("<str:checkin_id>/edit/", views.checkin_edit, name="checkin_edit"),
    path("<str:checkin_id>/delete/", views.checkin_delete, name="checkin_delete"),
]
