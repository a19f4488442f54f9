"""Pages under /partnerships/<partnership_id>/commitments/ for roles and expectations."""

from django.urls import path

from tandem.core.item_pages import item_urls
from tandem.relationship.commitments import views
from tandem.relationship.commitments.services import COMMITMENTS

urlpatterns = [
    *item_urls(
        COMMITMENTS,
        app="commitments",
        context=views.context,
        tab=views.TAB,
        edit_context=views.edit_context,
    ),
    path("suggest/", views.commitment_suggest, name="commitment_suggest"),
    path("<str:commitment_id>/review/", views.commitment_review, name="commitment_review"),
    path(
        "<str:commitment_id>/reviews/<str:review_id>/clear/",
        views.commitment_review_clear,
        name="commitment_review_clear",
    ),
]
