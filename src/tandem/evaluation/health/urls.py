"""Pages under /partnerships/<partnership_id>/health/."""

from django.urls import path

from tandem.evaluation.health import views

urlpatterns = [
    path("", views.health, name="health"),
    path("weights/", views.health_weights, name="health_weights"),
]
