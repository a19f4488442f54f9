"""What the archive holds is read from the models: a new one needs a decision."""

from __future__ import annotations

from tandem.transfer.archive.tables import LEFT_OUT, archived_tables, unclassified


def test_every_model_naming_a_workspace_or_a_person_is_archived_or_left_out() -> None:
    assert unclassified() == [], (
        "These models name a workspace or a person but are neither archived nor in"
        " tandem.transfer.archive.tables.LEFT_OUT (with why)."
    )


def test_secrets_throttling_and_derived_tables_stay_out() -> None:
    archived = {table.label for table in archived_tables()}
    for label in (
        "alerts.Standing",
        "accounts.ApiToken",
        "meetings.CalendarFeed",
        "sessions.Session",
        "core.ScheduledRun",
        "django_tasks_database.DBTaskResult",
    ):
        assert label not in archived
        assert label in LEFT_OUT


def test_each_table_comes_after_the_tables_its_keys_point_to() -> None:
    seen: set[str] = set()
    for table in archived_tables():
        for field in table.fields:
            if field.is_relation and field.name not in table.deferred:
                assert field.related_model._meta.label in seen, (table.label, field.name)  # type: ignore[union-attr]
        seen.add(table.label)
    deferred = {table.label: table.deferred for table in archived_tables() if table.deferred}
    assert deferred == {"traction.Todo": ("repeated_from",), "vision.Value": ("matches",)}


def test_every_table_left_out_exists() -> None:
    """A model moved or renamed is noticed: its old name left out would leave the new one in."""
    from django.apps import apps

    known = {model._meta.label for model in apps.get_models(include_auto_created=True)}
    assert set(LEFT_OUT) - known == set()
