"""The focus page: the workspace's active partnerships against its people's capacity
(included from tandem.urls at /focus/)."""

from django.urls import path

from tandem.people import views

urlpatterns = [
    path("", views.focus, name="focus"),
]
