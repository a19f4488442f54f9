from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "tandem.exchange.ledger"
    label = "ledger"

    def ready(self) -> None:
        # A won deal is value given: the pipeline calls its hook, so it needs no import of
        # the ledger.
        from tandem.exchange.ledger.won_deals import record_won_deal
        from tandem.exchange.pipeline.services import ON_WON

        if record_won_deal not in ON_WON:
            ON_WON.append(record_won_deal)
