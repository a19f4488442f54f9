from django.apps import AppConfig


class MoneyConfig(AppConfig):
    name = "tandem.exchange.money"
    label = "money"
