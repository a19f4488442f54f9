"""Shared pieces of the digest tests: people's choices, the hourly run at a fixed hour, and
the mails it sent."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core import mail

from tandem.evaluation.digest import services
from tandem.evaluation.digest.tasks import send_digests
from tandem.traction.models import Todo

LINK = re.compile(r"https?://[^\s\"<>]+/digest/act/(dg_[\w-]+)/")


def choose(user: Any, zone: str, weekday: int = 0, hour: int = 8, enabled: bool = True) -> None:
    services.preferences_set(user, enabled=enabled, weekday=weekday, hour=hour, timezone=zone)


def run_at(text: str) -> str:
    """The hourly task, called as the scheduler calls it (the tasks run in process here)."""
    return send_digests.call(dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).isoformat())


def digests_to(user: Any) -> list[Any]:
    return [m for m in mail.outbox if user.email in m.to and m.subject.startswith("Your week")]


def text_of(message: Any) -> str:
    return str(message.body)


def html_of(message: Any) -> str:
    return str(message.alternatives[0][0])


def secrets_in(text: str) -> list[str]:
    return LINK.findall(text)


def todo(world: Any, owner: Any, title: str, due_on: dt.date, **values: Any) -> Todo:
    values.setdefault("partnership", world.northwind)
    return Todo.objects.create(
        workspace=world.acme, owner=owner, title=title, due_on=due_on, **values
    )
