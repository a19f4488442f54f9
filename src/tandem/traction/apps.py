from django.apps import AppConfig


class TractionConfig(AppConfig):
    name = "tandem.traction"
    label = "traction"
    verbose_name = "Traction: rocks, to-dos, issues, ideas"
