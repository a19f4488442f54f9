"""Pages under /partnerships/<partnership_id>/issues/ (included from tandem.urls)."""

from django.urls import path

from tandem.core.item_pages import item_urls
from tandem.issues import views
from tandem.issues.services import ISSUES

urlpatterns = [
    path("solved/", views.issue_solved, name="issue_solved"),
    path("votes/apply/", views.issue_apply_votes, name="issue_apply_votes"),
    path("<str:issue_id>/rank/", views.issue_rank, name="issue_rank"),
    path("<str:issue_id>/vote/", views.issue_vote, name="issue_vote"),
    path("<str:issue_id>/solve/", views.issue_solve, name="issue_solve"),
    path("<str:issue_id>/reopen/", views.issue_reopen, name="issue_reopen"),
    path("<str:issue_id>/move/", views.issue_move, name="issue_move"),
    *item_urls(
        ISSUES,
        app="issues",
        context=views.context,
        tab=("issues", ""),
        created=views.created,
        back=views.back,
        edit_context=views.edit_context,
        initial=views.initial,
    ),
]
