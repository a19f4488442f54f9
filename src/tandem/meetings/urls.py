"""Pages under /partnerships/<partnership_id>/meetings/ (included from tandem.urls)."""

from django.urls import path

from tandem.meetings import views

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("start/", views.meeting_start, name="meeting_start"),
    path("export/", views.meeting_export, name="meeting_export"),
    path("<str:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("<str:meeting_id>/live/", views.meeting_live, name="meeting_live"),
    path("<str:meeting_id>/stream/", views.meeting_stream, name="meeting_stream"),
    path("<str:meeting_id>/timer/", views.meeting_timer, name="meeting_timer"),
    path("<str:meeting_id>/section/", views.meeting_section, name="meeting_section"),
    path("<str:meeting_id>/facilitator/", views.meeting_facilitator, name="meeting_facilitator"),
    path("<str:meeting_id>/headlines/", views.headline_add, name="meeting_headline_add"),
    path(
        "<str:meeting_id>/headlines/<str:headline_id>/delete/",
        views.headline_delete,
        name="meeting_headline_delete",
    ),
    path("<str:meeting_id>/drop/", views.drop_to_issues, name="meeting_drop"),
    path("<str:meeting_id>/rocks/<str:rock_id>/", views.rock_status, name="meeting_rock"),
    path("<str:meeting_id>/next-rocks/", views.next_rock_add, name="meeting_next_rock"),
    path("<str:meeting_id>/todos/<str:todo_id>/", views.todo_done, name="meeting_todo"),
    path("<str:meeting_id>/issues/<str:issue_id>/vote/", views.issue_vote, name="meeting_vote"),
    path("<str:meeting_id>/issues/rank/", views.issue_rank_votes, name="meeting_rank_votes"),
    path("<str:meeting_id>/issues/<str:issue_id>/solve/", views.issue_solve, name="meeting_solve"),
    path("<str:meeting_id>/loose-ends/", views.loose_end, name="meeting_loose_end"),
    path("<str:meeting_id>/rating/", views.meeting_rate, name="meeting_rate"),
    path(
        "<str:meeting_id>/attendees/<str:user_id>/absent/",
        views.attendee_absent,
        name="meeting_absent",
    ),
    path("<str:meeting_id>/end/", views.meeting_end, name="meeting_end"),
]
