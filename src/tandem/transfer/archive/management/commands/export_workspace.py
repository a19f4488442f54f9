"""``manage.py export_workspace <slug> <file.zip>``: the whole workspace as one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.accounts.models import Workspace
from tandem.transfer.archive.export import write


class Command(BaseCommand):
    help = "Write a workspace's archive (every row it owns, and its people) into a zip file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the workspace's address, e.g. acme")
        parser.add_argument("file", type=Path, help="where to write the zip")

    def handle(self, *args: Any, slug: str, file: Path, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=slug).first()
        if workspace is None:
            raise CommandError(f"No workspace has the address “{slug}”.")
        if not file.parent.is_dir():
            raise CommandError(f"There is no folder {file.parent} to write into.")
        size = write(workspace.pk, file)
        self.stdout.write(f"Wrote {workspace.name}'s archive to {file} ({size:,} bytes).")
