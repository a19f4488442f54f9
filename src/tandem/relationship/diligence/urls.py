"""Pages under /partnerships/<partnership_id>/diligence/: a partnership's assessment or,
for ``program``, the workspace's criteria and the partnerships being weighed."""

from django.urls import path

from tandem.relationship.diligence import views

urlpatterns = [
    path("", views.diligence, name="diligence"),
    path("criteria/new/", views.criterion_create, name="criterion_create"),
    path("criteria/defaults/", views.criteria_defaults, name="criteria_defaults"),
    path("criteria/<str:criterion_id>/edit/", views.criterion_edit, name="criterion_edit"),
    path("criteria/<str:criterion_id>/move/", views.criterion_move, name="criterion_move"),
    path("criteria/<str:criterion_id>/retire/", views.criterion_retire, name="criterion_retire"),
    path("assessments/new/", views.assessment_start, name="assessment_start"),
    path("assessments/<str:assessment_id>/save/", views.assessment_save, name="assessment_save"),
    path("activate/", views.activate, name="diligence_activate"),
]
