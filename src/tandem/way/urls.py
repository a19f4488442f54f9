"""Pages under /partnerships/<partnership_id>/ for the way."""

from django.urls import path

from tandem.way import views

urlpatterns = [
    path("", views.way, name="way"),
]
