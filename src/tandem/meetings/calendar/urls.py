"""The calendar feed: its settings page and the private address calendars subscribe to."""

from django.urls import path

from tandem.meetings.calendar import views

urlpatterns = [
    path("settings/calendar/", views.calendar_settings, name="calendar_settings"),
    path("settings/calendar/delete/", views.calendar_delete, name="calendar_delete"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
