"""Pages under /partnerships/<partnership_id>/goals/ (included from tandem.urls)."""

from django.urls import path

from tandem.vision import views

urlpatterns = [
    path("", views.goal_list, name="goal_list"),
    path("new/", views.goal_create, name="goal_create"),
    path("<str:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path("<str:goal_id>/delete/", views.goal_delete, name="goal_delete"),
]
