from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "tandem.transfer.imports"
    label = "imports"
    verbose_name = "Imports: CSV files from a CRM, mapped, checked, then written"
