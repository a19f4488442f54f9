"""The import's steps through its services: the dry run lists every invalid row and writes
nothing; all or nothing, or the valid rows only; the same file again updates (by external id
or by a natural key); the mapping is remembered per source; a cancel leaves nothing; every
bad input is answered with a clear message; only the workspace's members import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from tandem.core.errors import Conflict, InvalidInput
from tandem.exchange.pipeline.models import Opportunity
from tandem.transfer.imports import services, tasks, writing
from tandem.transfer.imports.models import ImportedRecord, ImportJob, Status
from tests.conftest import World
from tests.imports.conftest import csv_file, imported, mapped, uploaded

HEADER = "Record ID,Deal Name,Amount,Currency,Close Date,Owner\n"
GOOD = "1,Contoso,100,USD,2026-12-01,maria@acme.example\n2,Fabrikam,200,EUR,2026-12-02,\n"
BAD = (
    "3,Tailspin,lots,USD,2026-12-03,\n"  # not an amount
    "4,,50,XYZ,2026-13-45,olga@initech.example\n"  # four problems in one row
    "5,Short row\n"
)
MAPPING = {
    "external_id": "Record ID",
    "account_name": "Deal Name",
    "amount": "Amount",
    "currency": "Currency",
    "expected_close": "Close Date",
    "owner": "Owner",
}


def test_the_dry_run_lists_every_invalid_row_with_its_column_and_reason(world: World) -> None:
    job = mapped(world, HEADER + GOOD + BAD, MAPPING)
    job = services.check(actor=world.actor(world.maria), job=job)
    assert (job.status, job.total_rows, job.valid_rows, job.error_count) == ("checked", 5, 2, 6)
    errors = [(e.row, e.column, e.reason) for e in job.errors.all()]
    assert errors[0] == (4, "Amount", "“lots” is not an amount")
    assert {(row, column) for row, column, _ in errors[1:5]} == {
        (5, "Deal Name"),
        (5, "Currency"),
        (5, "Close Date"),
        (5, "Owner"),
    }
    assert "XYZ is not a currency code" in dict((e[1], e[2]) for e in errors)["Currency"]
    assert errors[5] == (6, "", "This row has 2 cells; the header has 6.")
    assert not Opportunity.objects.exists()


def test_an_import_is_all_or_nothing(world: World) -> None:
    job = mapped(world, HEADER + GOOD + BAD, MAPPING)
    with pytest.raises(InvalidInput, match="valid rows only"):
        services.start(
            actor=world.actor(world.maria),
            job=services.check(actor=world.actor(world.maria), job=job),
        )
    job = mapped(world, HEADER + GOOD + BAD, MAPPING)  # unchecked: the task finds them
    job = imported(world, job)
    assert job.status == Status.FAILED
    assert "3 rows cannot be imported, so nothing was" in job.message
    assert job.errors.count() == 6
    assert not Opportunity.objects.exists()


def test_maria_may_import_the_valid_rows_only(world: World) -> None:
    job = mapped(world, HEADER + GOOD + BAD, MAPPING, only_valid=True)
    job = imported(world, services.check(actor=world.actor(world.maria), job=job))
    assert (job.status, job.created_rows, job.error_count) == (Status.DONE, 2, 6)
    assert sorted(Opportunity.objects.values_list("account_name", flat=True)) == [
        "Contoso",
        "Fabrikam",
    ]
    assert job.errors.count() == 6  # still there to read


def test_the_same_file_again_updates_by_external_id(world: World) -> None:
    imported(world, mapped(world, HEADER + GOOD, MAPPING, key=["external_id"]))
    changed = HEADER + "1,Contoso Ltd,150,USD,2026-12-01,\n3,Globex,10,USD,2026-12-09,\n"
    job = imported(world, mapped(world, changed, MAPPING, key=["external_id"]))
    assert (job.created_rows, job.updated_rows) == (1, 1)
    assert Opportunity.objects.count() == 3
    contoso = Opportunity.objects.get(account_name="Contoso Ltd")
    assert (str(contoso.amount), contoso.version) == ("150.00", 2)
    assert ImportedRecord.objects.filter(source="HubSpot").count() == 3
    # Another source's id 1 is another record.
    job = imported(world, mapped(world, changed, MAPPING, key=["external_id"], source="Pipedrive"))
    assert (job.created_rows, job.updated_rows) == (2, 0)


def test_the_same_file_again_updates_by_a_natural_key(world: World) -> None:
    imported(world, mapped(world, HEADER + GOOD, MAPPING, key=["account_name"]))
    again = HEADER + "9,Contoso,999,USD,2026-12-01,\n"
    job = imported(world, mapped(world, again, MAPPING, key=["account_name"]))
    assert (job.created_rows, job.updated_rows) == (0, 1)
    assert str(Opportunity.objects.get(account_name="Contoso").amount) == "999.00"
    # Globex's deals are another partnership's: the key does not reach them.
    job = imported(world, mapped(world, again, MAPPING, key=["account_name"], partnership="globex"))
    assert (job.created_rows, job.updated_rows) == (1, 0)


@pytest.mark.parametrize(
    ("source", "header", "expected"),
    [
        (
            "Salesforce",
            "Opportunity ID,Opportunity Name,Account Name,Stage,Amount,Opportunity Currency,"
            "Close Date,Opportunity Owner,Opportunity Owner Email",
            {
                "external_id": "Opportunity ID",
                "account_name": "Account Name",  # the customer, not the deal's name
                "stage": "Stage",
                "amount": "Amount",
                "currency": "Opportunity Currency",
                "expected_close": "Close Date",
                "owner": "Opportunity Owner Email",  # an e-mail names a person, a name may not
            },
        ),
        (
            "Pipedrive",
            "Deal - ID,Deal - Title,Deal - Value,Deal - Currency,Deal - Stage,"
            "Deal - Expected close date,Deal - Owner,Organization - Name",
            {
                "external_id": "Deal - ID",
                "account_name": "Organization - Name",
                "stage": "Deal - Stage",
                "amount": "Deal - Value",
                "currency": "Deal - Currency",
                "expected_close": "Deal - Expected close date",
                "owner": "Deal - Owner",
            },
        ),
    ],
)
def test_a_crms_export_is_mapped_by_its_column_names(
    world: World, source: str, header: str, expected: dict[str, str]
) -> None:
    row = ",".join(["x"] * len(header.split(",")))
    suggested = services.preview(uploaded(world, f"{header}\n{row}\n", source=source))
    assert {name: suggested["suggested"].get(name) for name in expected} == expected


def test_the_mapping_is_remembered_for_the_next_file_of_the_source(world: World) -> None:
    odd = "Ref,Customer,Sum,Cur,Expected,Who\n" + GOOD
    mapping = dict(zip(MAPPING, ["Ref", "Customer", "Sum", "Cur", "Expected", "Who"], strict=True))
    mapped(world, odd, mapping, key=["external_id"])
    preview = services.preview(uploaded(world, odd))
    assert preview["suggested"] == mapping
    assert (preview["saved"], preview["key"]) == (True, ["external_id"])
    fresh = services.preview(uploaded(world, HEADER + GOOD, source="Salesforce"))
    assert fresh["saved"] is False
    assert fresh["suggested"]["account_name"] == "Deal Name"  # by the columns' names
    assert fresh["suggested"]["expected_close"] == "Close Date"
    assert fresh["sample"][0][:2] == ["1", "Contoso"]


def test_an_ambiguous_date_column_is_asked_about(world: World) -> None:
    content = "Deal Name,Close Date\nContoso,03/04/2026\nFabrikam,05/06/2026\n"
    job = uploaded(world, content)
    assert services.preview(job)["date_columns"] == {"expected_close": ["eu", "us"]}
    mapping = {"account_name": "Deal Name", "expected_close": "Close Date"}
    with pytest.raises(InvalidInput) as refused:
        services.set_mapping(
            actor=world.actor(world.maria), job=job, version=job.version, mapping=mapping
        )
    assert "read as MM/DD/YYYY and as DD/MM/YYYY" in refused.value.errors["date_forms"][0]
    job = services.set_mapping(
        actor=world.actor(world.maria),
        job=job,
        version=job.version,
        mapping=mapping,
        date_forms={"expected_close": "us"},
    )
    imported(world, job)
    assert str(Opportunity.objects.get(account_name="Contoso").expected_close) == "2026-03-04"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"mapping": {"colour": "Amount"}}, "mapping", "have no field “colour”"),
        ({"mapping": {"account_name": "Nope"}}, "mapping", "The file has no column “Nope”"),
        ({"mapping": {"amount": "Amount"}}, "mapping", "required field: Customer account"),
        ({"key": ["owner"]}, "key", "Choose the key among"),
        ({"key": ["account_domain"]}, "key", "Map a column to account_domain"),
        ({"date_forms": {"expected_close": "mars"}}, "date_forms", "Choose iso, us or eu"),
    ],
)
def test_a_bad_mapping_is_refused_with_its_reason(
    world: World, changes: dict[str, Any], field: str, message: str
) -> None:
    job = uploaded(world, HEADER + GOOD)
    values: dict[str, Any] = {"mapping": MAPPING, "key": [], "date_forms": {}} | changes
    with pytest.raises(InvalidInput) as refused:
        services.set_mapping(actor=world.actor(world.maria), job=job, version=job.version, **values)
    assert message in refused.value.errors[field][0]
    job.refresh_from_db()
    assert job.mapping == {}


def test_a_stale_version_is_a_conflict(world: World) -> None:
    job = mapped(world, HEADER + GOOD, MAPPING)
    with pytest.raises(Conflict):
        services.set_mapping(
            actor=world.actor(world.lena), job=job, version=job.version - 1, mapping=MAPPING
        )


@pytest.mark.parametrize(
    ("content", "kwargs", "field", "message"),
    [
        ("", {}, "file", "empty"),
        ("Deal Name,Amount\n", {}, "file", "no data rows"),
        ("a,b\n1,2\n", {"target": "invoices"}, "target", "Choose what the file holds"),
        ("a,b\n1,2\n", {"source": " "}, "source", "Say where the file comes from"),
        ("a,b\n1,2\n", {"partnership": 0}, "partnership", "Choose the partnership"),
        ("a,b\n1,2\n", {"partnership": "initech_partner"}, "partnership", "Choose the partnership"),
    ],
)
def test_a_bad_upload_is_refused_and_nothing_is_kept(
    world: World, settings: Any, content: str, kwargs: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        uploaded(world, content, **kwargs)
    assert message in refused.value.errors[field][0]
    assert not ImportJob.objects.exists()
    assert not list(Path(settings.IMPORTS_DIR).glob("*"))


def test_a_binary_file_is_refused(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.upload(
            actor=world.actor(world.maria),
            workspace_id=world.acme.pk,
            target="contacts",
            source="Excel",
            file=csv_file("PK\x03\x04\x00\x00binary\x00", name="book.xlsx"),
            partnership_id=world.northwind.pk,
        )
    assert refused.value.errors["file"]


@pytest.mark.parametrize("person", ["pat", "olga"])
def test_pat_and_olga_cannot_import_into_acme(world: World, person: str) -> None:
    with pytest.raises(PermissionDenied):
        uploaded(world, HEADER + GOOD, user=getattr(world, person))
    job = uploaded(world, HEADER + GOOD)
    with pytest.raises(Http404):
        services.job_for(world.actor(getattr(world, person)), job.pk)
    with pytest.raises(PermissionDenied):
        services.check(actor=world.actor(getattr(world, person)), job=job)
    assert not services.jobs_for(world.actor(getattr(world, person)), world.acme.pk).exists()


def test_a_cancel_while_writing_leaves_nothing(world: World, monkeypatch: Any) -> None:
    job = mapped(world, HEADER + GOOD * 3, MAPPING)
    real = writing.write_rows

    def cancelled_midway(plan: Any, staged: Any, **kwargs: Any) -> Any:
        report = kwargs["report"]

        def stop_after_first(done: int) -> None:
            services.cancel(actor=world.actor(world.maria), job=ImportJob.objects.get(pk=job.pk))
            report(done)

        return real(plan, staged, **{**kwargs, "report": stop_after_first})

    monkeypatch.setattr(writing, "write_rows", cancelled_midway)
    job = imported(world, job)
    assert (job.status, job.message) == (Status.CANCELLED, "Cancelled: nothing was written.")
    assert not Opportunity.objects.exists()
    assert not ImportedRecord.objects.exists()
    assert not job.beside("cancel").exists()
    # It can be started again.
    monkeypatch.setattr(writing, "write_rows", real)
    assert imported(world, job).status == Status.DONE
    assert Opportunity.objects.count() == 6


def test_a_queued_import_is_cancelled_at_once(world: World) -> None:
    job = mapped(world, HEADER + GOOD, MAPPING)
    services.start(actor=world.actor(world.maria), job=job)  # no commit: the task never runs
    job = services.cancel(actor=world.actor(world.maria), job=ImportJob.objects.get(pk=job.pk))
    assert job.status == Status.CANCELLED
    assert tasks.run_import.call(job.pk) == "skipped: not queued"
    with pytest.raises(InvalidInput, match="nothing to cancel"):
        services.cancel(actor=world.actor(world.maria), job=job)


def _queries(world: World, rows: int, source: str) -> tuple[int, int]:
    content = HEADER + "".join(
        f"{n},Account {n},{n},USD,2026-12-01,maria@acme.example\n" for n in range(rows)
    )
    job = mapped(world, content, MAPPING, key=["external_id"], source=source)
    with CaptureQueriesContext(connection) as check:
        services.check(actor=world.actor(world.maria), job=job)
    job.refresh_from_db()
    with CaptureQueriesContext(connection) as run:
        imported(world, job)
    return len(check), len(run)


def test_checking_and_writing_cost_the_same_queries_for_more_rows(world: World) -> None:
    _queries(world, 1, "warm-up")  # the workspace's pipeline stages are made on first use
    assert _queries(world, 5, "HubSpot") == _queries(world, 50, "Salesforce")
