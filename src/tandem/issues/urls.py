"""Pages under /partnerships/<partnership_id>/issues/ (included from tandem.urls)."""

from django.urls import path

from tandem.issues import views

urlpatterns = [
    path("", views.issue_list, name="issue_list"),
    path("new/", views.issue_create, name="issue_create"),
    path("solved/", views.issue_solved, name="issue_solved"),
    path("votes/apply/", views.issue_apply_votes, name="issue_apply_votes"),
    path("<str:issue_id>/rank/", views.issue_rank, name="issue_rank"),
    path("<str:issue_id>/vote/", views.issue_vote, name="issue_vote"),
    path("<str:issue_id>/solve/", views.issue_solve, name="issue_solve"),
    path("<str:issue_id>/reopen/", views.issue_reopen, name="issue_reopen"),
    path("<str:issue_id>/move/", views.issue_move, name="issue_move"),
    path("<str:issue_id>/edit/", views.issue_edit, name="issue_edit"),
    path("<str:issue_id>/delete/", views.issue_delete, name="issue_delete"),
]
