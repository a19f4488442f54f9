from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tandem.api"
    label = "api"
    verbose_name = "REST API"
