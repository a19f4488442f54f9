"""The communication plan API (placeholder until the feature lands)."""

from ninja import Router

router = Router(tags=["Communication plan"])
