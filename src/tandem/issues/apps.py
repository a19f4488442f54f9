from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "tandem.issues"
    label = "issues"
    verbose_name = "Issues: ranked, voted on and solved into to-dos"
