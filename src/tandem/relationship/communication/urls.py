"""Pages under /partnerships/<partnership_id>/communication/ for the communication plan."""

from django.urls import path

from tandem.relationship.communication import views

urlpatterns = [
    path("", views.communication_plan, name="communication_plan"),
    path("new/", views.plan_entry_create, name="plan_entry_create"),
    path("<str:entry_id>/edit/", views.plan_entry_edit, name="plan_entry_edit"),
    path("<str:entry_id>/delete/", views.plan_entry_delete, name="plan_entry_delete"),
    path("<str:entry_id>/touch/", views.plan_touch, name="plan_touch"),
]
