from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "tandem.evaluation.dashboard"
    label = "dashboard"
