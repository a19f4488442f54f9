from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "tandem.relationship.checkins"
    label = "checkins"
