from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "tandem.relationship.commitments"
    label = "commitments"
