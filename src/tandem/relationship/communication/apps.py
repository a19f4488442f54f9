from django.apps import AppConfig


class CommunicationConfig(AppConfig):
    name = "tandem.relationship.communication"
    label = "communication"
