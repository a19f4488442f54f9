"""What the import tests share: uploads kept in the test's own folder, and a file uploaded
and mapped in one call."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from tandem.accounts.models import User
from tandem.core.access import Actor
from tandem.transfer.imports import services
from tandem.transfer.imports.models import ImportJob
from tests.conftest import World


@pytest.fixture(autouse=True)
def _imports_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.IMPORTS_DIR = str(tmp_path / "imports")


def csv_file(content: str, name: str = "export.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


def uploaded(
    world: World,
    content: str,
    *,
    target: str = "opportunities",
    user: User | None = None,
    source: str = "HubSpot",
    partnership: Any = "northwind",
) -> ImportJob:
    actor = world.actor(user or world.maria)
    partnership_id = getattr(world, partnership).pk if isinstance(partnership, str) else partnership
    return services.upload(
        actor=actor,
        workspace_id=world.acme.pk,
        target=target,
        source=source,
        file=csv_file(content),
        partnership_id=partnership_id,
    )


def mapped(
    world: World,
    content: str,
    mapping: dict[str, str],
    *,
    target: str = "opportunities",
    key: list[str] | None = None,
    only_valid: bool = False,
    date_forms: dict[str, str] | None = None,
    source: str = "HubSpot",
    partnership: Any = "northwind",
) -> ImportJob:
    job = uploaded(world, content, target=target, source=source, partnership=partnership)
    return services.set_mapping(
        actor=world.actor(world.maria),
        job=job,
        version=job.version,
        mapping=mapping,
        date_forms=date_forms or {},
        key=key or [],
        only_valid=only_valid,
    )


def imported(world: World, job: ImportJob, actor: Actor | None = None) -> ImportJob:
    """Start the job; the tests' task backend runs it at once (after the commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.start(actor=actor or world.actor(world.maria), job=job)
    job.refresh_from_db()
    return job
