"""Company goals: the program level's, managed by workspace members (included from tandem.urls
at /workspace/company-goals/)."""

from django.urls import path

from tandem.vision.values import views

urlpatterns = [
    path("new/", views.company_goal_create, name="company_goal_create"),
    path("<str:company_goal_id>/edit/", views.company_goal_edit, name="company_goal_edit"),
    path("<str:company_goal_id>/delete/", views.company_goal_delete, name="company_goal_delete"),
]
