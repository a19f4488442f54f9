"""Pages under /partnerships/<partnership_id>/meetings/schedule/ (included from tandem.urls)."""

from django.urls import path

from tandem.meetings.schedule import views

urlpatterns = [
    path("", views.schedule_page, name="meeting_schedule"),
    path("save/", views.schedule_save, name="meeting_schedule_save"),
]
