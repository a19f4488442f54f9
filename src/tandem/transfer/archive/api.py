"""The archive over HTTP."""

from ninja import Router

router = Router(tags=["Archive"])
