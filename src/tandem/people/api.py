"""The people API (placeholder until the feature lands)."""

from ninja import Router

router = Router(tags=["People"])
