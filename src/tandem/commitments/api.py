"""The roles and expectations API (placeholder until the feature lands)."""

from ninja import Router

router = Router(tags=["Roles and expectations"])
