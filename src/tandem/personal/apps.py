from django.apps import AppConfig


class PersonalConfig(AppConfig):
    name = "tandem.personal"
    label = "personal"
    verbose_name = "One person's view across partnerships: my week, someone's rocks"
