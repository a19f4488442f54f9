"""Shapes of the accounts API shared with the partners app (which invites partner-side people)."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    partnership_id: int | None
    expires_at: datetime
    status: str
