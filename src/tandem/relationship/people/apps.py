from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "tandem.relationship.people"
    label = "people"
