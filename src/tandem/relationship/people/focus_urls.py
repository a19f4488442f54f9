"""The focus page: the workspace's active partnerships against its people's capacity
(included from tandem.urls at /focus/)."""

from django.urls import path

from tandem.relationship.people import views

urlpatterns = [
    path("", views.focus, name="focus"),
    path("limit/", views.focus_limit, name="focus_limit"),
    path("capacity/<str:membership_id>/", views.focus_capacity, name="focus_capacity"),
]
