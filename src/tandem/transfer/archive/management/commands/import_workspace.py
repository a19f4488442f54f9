"""``manage.py import_workspace <file.zip>``: a workspace's archive into an empty Tandem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.transfer.archive.load import ArchiveRefused, load


class Command(BaseCommand):
    help = (
        "Import a workspace's archive (from export_workspace or the archive page) into this"
        " Tandem, which must not hold any of its rows yet. All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the archive's zip file")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"There is no file {file}.")
        try:
            loaded = load(file)
        except ArchiveRefused as error:
            raise CommandError(f"{error.detail} Nothing was imported.") from error
        self.stdout.write(
            f"Imported workspace “{loaded.slug}”: {sum(loaded.rows.values()):,} rows"
            f" in {len(loaded.rows)} tables."
        )
