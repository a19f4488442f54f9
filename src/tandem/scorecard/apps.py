from django.apps import AppConfig


class ScorecardConfig(AppConfig):
    name = "tandem.scorecard"
    label = "scorecard"
    verbose_name = "Scorecard: measurables and their weekly or monthly values"
