"""Pages under /partnerships/<partnership_id>/way/ (``program`` for the program level)."""

from django.urls import path

from tandem.relationship.way import views

urlpatterns = [
    path("", views.way, name="way"),
    path("defaults/", views.way_defaults, name="way_defaults"),
    path("processes/new/", views.process_create, name="way_process_create"),
    path("processes/<str:process_id>/edit/", views.process_edit, name="way_process_edit"),
    path("processes/<str:process_id>/delete/", views.process_delete, name="way_process_delete"),
    path("processes/<str:process_id>/move/", views.process_move, name="way_process_move"),
    path("processes/<str:process_id>/steps/new/", views.step_create, name="way_step_create"),
    path("steps/<str:step_id>/edit/", views.step_edit, name="way_step_edit"),
    path("steps/<str:step_id>/delete/", views.step_delete, name="way_step_delete"),
    path("steps/<str:step_id>/move/", views.step_move, name="way_step_move"),
    path("steps/<str:step_id>/check/", views.step_check, name="way_step_check"),
]
