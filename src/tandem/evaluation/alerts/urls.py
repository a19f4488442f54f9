"""Pages under /alerts/: the workspace's stall alerts and its alert rule."""

from django.urls import path

from tandem.evaluation.alerts import views

urlpatterns = [
    path("", views.alert_list, name="alert_list"),
    path("export/", views.alert_export, name="alert_export"),
    path("settings/", views.alert_settings, name="alert_settings"),
]
