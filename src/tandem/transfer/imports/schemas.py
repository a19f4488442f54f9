"""The import's API shapes (class names unique across the API)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema


class ImportProgressOut(Schema):
    percent: int = Field(
        description="An import reads each row twice (checked, then written), a dry run once."
    )
    rows_done: int
    total_rows: int = Field(
        description="While a file is read for the first time, an estimate from its lines."
    )
    seconds_left: int | None = Field(description="The estimate of the time left; null: unknown.")
    phase: str = Field(
        description='"checking" (a dry run, or an import\'s first pass), "writing", or "" when'
        " not running (yet)."
    )


class ImportOut(Schema):
    id: int
    target: str
    source: str
    partnership_id: int | None
    filename: str
    size: int
    encoding: str
    delimiter: str
    header: list[str]
    mapping: dict[str, str]
    date_forms: dict[str, str]
    key: list[str]
    only_valid: bool
    status: str = Field(
        description="uploaded, checking (a big file's dry run, on the task worker), checked,"
        " queued, running, done, failed or cancelled."
    )
    total_rows: int
    valid_rows: int
    created_rows: int
    updated_rows: int
    error_count: int
    message: str
    cancelling: bool
    progress: ImportProgressOut
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    version: int

    @staticmethod
    def resolve_progress(job: Any) -> Any:
        return job.progress()


class ImportFieldOut(Schema):
    name: str
    label: str
    required: bool
    kind: str
    help: str
    choices: list[tuple[str, str]]


class ImportPreviewOut(Schema):
    header: list[str]
    sample: list[list[str]]
    suggested: dict[str, str] = Field(
        description="field → column: the source's saved mapping, else by the columns' names."
    )
    saved: bool
    date_forms: dict[str, str]
    key: list[str]
    date_columns: dict[str, list[str]] = Field(
        description="For each mapped date field, the forms its values read in; more than one"
        " of us and eu: say which in date_forms."
    )
    fields: list[ImportFieldOut]
    natural_keys: list[list[str]]


class ImportMappingIn(Schema):
    version: int = Field(description="The version of the import you read.")
    mapping: dict[str, str] | None = Field(None, description="field → column of the file.")
    date_forms: dict[str, str] | None = Field(
        None, description='For each date field: "iso", "us" (MM/DD/YYYY) or "eu" (DD/MM/YYYY).'
    )
    key: list[str] | None = Field(
        None, description='["external_id"], a natural key\'s fields, or [] to always create.'
    )
    only_valid: bool = Field(False, description="Import the valid rows only, skipping the rest.")


class ImportRowErrorOut(Schema):
    row: int = Field(description="The line of the file the row starts on (the header is 1).")
    column: str
    reason: str
