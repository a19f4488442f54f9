from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "tandem.exchange.ledger"
    label = "ledger"
