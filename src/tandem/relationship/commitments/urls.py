"""Pages under /partnerships/<partnership_id>/commitments/ for roles and expectations."""

from django.urls import path

from tandem.relationship.commitments import views

urlpatterns = [
    path("", views.commitment_list, name="commitment_list"),
    path("new/", views.commitment_create, name="commitment_create"),
    path("suggest/", views.commitment_suggest, name="commitment_suggest"),
    path("<str:commitment_id>/edit/", views.commitment_edit, name="commitment_edit"),
    path("<str:commitment_id>/delete/", views.commitment_delete, name="commitment_delete"),
    path("<str:commitment_id>/review/", views.commitment_review, name="commitment_review"),
    path(
        "<str:commitment_id>/reviews/<str:review_id>/clear/",
        views.commitment_review_clear,
        name="commitment_review_clear",
    ),
]
