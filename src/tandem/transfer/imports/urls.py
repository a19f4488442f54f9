"""/workspace/imports/: the workspace's CSV imports (members)."""

from django.urls import path

from tandem.transfer.imports import views

urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("new/", views.import_new, name="import_new"),
    path("<str:job_id>/", views.import_detail, name="import_detail"),
    path("<str:job_id>/start/", views.import_start, name="import_start"),
    path("<str:job_id>/cancel/", views.import_cancel, name="import_cancel"),
    path("<str:job_id>/progress/", views.import_progress, name="import_progress"),
]
