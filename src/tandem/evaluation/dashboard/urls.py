"""Pages under /dashboard/: the portfolio dashboard."""

from django.urls import path

from tandem.evaluation.dashboard import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.dashboard_export, name="dashboard_export"),
]
