from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "tandem.commitments"
    label = "commitments"
