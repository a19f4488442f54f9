"""Pages under /partnerships/<partnership_id>/scorecard/ (included from tandem.urls)."""

from django.urls import path

from tandem.scorecard import views

urlpatterns = [
    path("", views.scorecard, name="scorecard"),
    path("export/", views.scorecard_export, name="scorecard_export"),
    path("new/", views.measurable_form, name="measurable_create"),
    path("<str:measurable_id>/edit/", views.measurable_form, name="measurable_edit"),
    path("<str:measurable_id>/delete/", views.measurable_delete, name="measurable_delete"),
    path("<str:measurable_id>/move/", views.measurable_move, name="measurable_move"),
    path("<str:measurable_id>/<str:period>/", views.scorecard_cell, name="scorecard_cell"),
    path("<str:measurable_id>/<str:period>/goal/", views.scorecard_goal, name="scorecard_goal"),
]
