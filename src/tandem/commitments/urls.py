"""Pages under /partnerships/<partnership_id>/ for roles and expectations."""

from django.urls import path

from tandem.commitments import views

urlpatterns = [
    path("", views.commitment_list, name="commitment_list"),
]
