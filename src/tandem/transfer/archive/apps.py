from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "tandem.transfer.archive"
    label = "archive"
    verbose_name = "Archive: the whole workspace out as one file, and back into an empty Tandem"
