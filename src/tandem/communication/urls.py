"""Pages under /partnerships/<partnership_id>/ for communication plan."""

from django.urls import path

from tandem.communication import views

urlpatterns = [
    path("", views.communication_plan, name="communication_plan"),
]
