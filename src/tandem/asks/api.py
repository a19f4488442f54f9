"""The asks and requests API (placeholder until the feature lands)."""

from ninja import Router

router = Router(tags=["Asks and requests"])
