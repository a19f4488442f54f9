from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "tandem.partners"
    label = "partners"
    verbose_name = "Partnerships"
