"""The due diligence API (placeholder until the feature lands)."""

from ninja import Router

router = Router(tags=["Due diligence"])
