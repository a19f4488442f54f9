"""The imports over HTTP."""

from ninja import Router

router = Router(tags=["Imports"])
