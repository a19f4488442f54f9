"""The check-ins and events API (placeholder until the feature lands)."""

from ninja import Router

router = Router(tags=["Check-ins and events"])
