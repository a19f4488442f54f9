"""Pages under /partnerships/<partnership_id>/ for check-ins and events."""

from django.urls import path

from tandem.checkins import views

urlpatterns = [
    path("", views.checkin_list, name="checkin_list"),
]
