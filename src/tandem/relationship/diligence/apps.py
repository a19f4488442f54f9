from django.apps import AppConfig


class DiligenceConfig(AppConfig):
    name = "tandem.relationship.diligence"
    label = "diligence"

    def ready(self) -> None:
        # A partnership becomes active only on a go: partners asks the rule through its
        # hook, so it needs no import of due diligence.
        from tandem.partners.services import BEFORE_ACTIVE
        from tandem.relationship.diligence.services import require_go

        if require_go not in BEFORE_ACTIVE:
            BEFORE_ACTIVE.append(require_go)
