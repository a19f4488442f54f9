from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "tandem.ideas"
    label = "ideas"
    verbose_name = "Ideas backlog: tactical and strategic, with a commit limit"
