from django.apps import AppConfig


class VisionConfig(AppConfig):
    name = "tandem.vision"
    label = "vision"
    verbose_name = "Vision: where the program and each partnership are going"
