"""The the way API (placeholder until the feature lands)."""

from ninja import Router

router = Router(tags=["The Way"])
