"""Every item list as a file: CSV and Excel, holding what the reader may see of it."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.clock import local_today
from tandem.traction.models import Todo
from tests.conftest import World, client_for
from tests.test_access import _exchange

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response: Any) -> list[dict[str, str]]:
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel reads UTF-8 by
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(response: Any) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def export(client: Client, world: World, things: str, fmt: str = "csv") -> Any:
    return client.get(f"/partnerships/{world.northwind.pk}/{things}/export/", {"format": fmt})


def test_maria_exports_the_todos_she_sees_as_csv(world: World, as_maria: Client) -> None:
    Todo.objects.filter(pk=world.internal_todo.pk).update(done_at=timezone.now())
    response = export(as_maria, world, "todos")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    day = local_today(world.northwind).isoformat()
    assert response["Content-Disposition"] == (f'attachment; filename="northwind-to-dos-{day}.csv"')
    rows = {row["Title"]: row for row in csv_rows(response)}
    assert set(rows) == {"Send the joint deck", "Check their credit rating"}
    shared, done = rows["Send the joint deck"], rows["Check their credit rating"]
    assert shared["ID"] == str(world.shared_todo.pk)
    assert shared["Owner"] == "Pat Northwind"  # a person by name, not an id
    assert shared["Visibility"] == "Shared"
    assert shared["Due on"] == world.shared_todo.due_on.isoformat()
    assert shared["Done at"] == ""
    assert done["Visibility"] == "Internal"
    assert done["Done at"].endswith("Z")  # a done one is there too, saying when (UTC)
    assert shared["Created at"].endswith("Z")


@pytest.mark.parametrize("things", ["todos", "rocks", "value", "pipeline", "issues", "goals"])
def test_pat_exports_only_what_is_shared_with_northwind(
    world: World, as_pat: Client, things: str
) -> None:
    exchange = _exchange(world)
    internal = {
        "todos": world.internal_todo.title,
        "rocks": world.internal_rock.title,
        "value": exchange["internal_entry"].title,
        "pipeline": exchange["internal_opportunity"].account_name,
        "issues": world.internal_issue.title,
        "goals": world.internal_goal.title,
    }[things]
    shared = {
        "todos": world.shared_todo.title,
        "rocks": world.shared_rock.title,
        "value": exchange["shared_entry"].title,
        "pipeline": exchange["shared_opportunity"].account_name,
        "issues": world.shared_issue.title,
        "goals": world.shared_goal.title,
    }[things]
    for fmt in ("csv", "xlsx"):
        response = export(as_pat, world, things, fmt)
        assert response.status_code == 200
        rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
        assert rows, things
        assert {row["Visibility"] for row in rows} == {"Shared"}
        cells = {str(value) for row in rows for value in row.values()}
        assert shared in cells
        assert internal not in cells
        assert internal.encode() not in body(export(as_pat, world, things, fmt))


def test_the_pipeline_export_names_each_deals_stage(world: World, as_maria: Client) -> None:
    exchange = _exchange(world)
    rows = {row["Customer account"]: row for row in csv_rows(export(as_maria, world, "pipeline"))}
    deal = rows[exchange["shared_opportunity"].account_name]
    assert deal["Stage"] == "Qualified"
    assert deal["Amount"] == "1200.00"  # a decimal written plainly
    assert deal["Owner"] == "Pat Northwind"


@pytest.mark.parametrize("things", ["todos", "rocks", "ideas", "value", "pipeline", "asks"])
def test_olga_and_lee_are_told_the_export_is_not_there(world: World, things: str) -> None:
    for person in (world.olga, world.lee):
        assert export(client_for(person), world, things).status_code == 404
    assert export(Client(), world, things).status_code == 302  # sign in first


def test_the_excel_file_holds_the_same_rows_as_the_csv(world: World, as_lena: Client) -> None:
    from_csv = csv_rows(export(as_lena, world, "todos"))
    response = export(as_lena, world, "todos", "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].endswith('.xlsx"')
    from_xlsx = xlsx_rows(response)
    assert len(from_xlsx) == len(from_csv) == 2
    for left, right in zip(from_csv, from_xlsx, strict=True):
        assert {key: str(value or "") for key, value in right.items()} == left


def test_text_a_spreadsheet_would_run_as_a_formula_is_only_text(
    world: World, as_maria: Client
) -> None:
    hostile = ['=HYPERLINK("http://evil.example","Click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]
    for title in hostile:
        Todo.objects.create(workspace=world.acme, partnership=world.northwind, title=title)
    titles = [row["Title"] for row in csv_rows(export(as_maria, world, "todos"))]
    for title in hostile:
        assert "'" + title in titles
    sheet = openpyxl.load_workbook(
        io.BytesIO(body(export(as_maria, world, "todos", "xlsx")))
    ).active
    assert sheet is not None
    cells = {cell.value: cell.data_type for row in sheet.iter_rows() for cell in row}
    for title in hostile:
        assert cells[title] == "s"  # the text itself, stored as a string: no formula


def test_an_unknown_format_is_refused_with_a_message(world: World, as_maria: Client) -> None:
    response = export(as_maria, world, "todos", "pdf")
    assert response.status_code == 400
    assert b"format=csv or format=xlsx" in response.content


def test_the_ledgers_export_is_named_for_the_value_exchange(world: World, as_maria: Client) -> None:
    day = local_today(world.northwind).isoformat()
    name = f'attachment; filename="northwind-value-exchange-{day}'
    assert export(as_maria, world, "value")["Content-Disposition"] == f'{name}.csv"'
    api = bearer(world, "maria").get(f"/api/partnerships/{world.northwind.pk}/ledger/export")
    assert api["Content-Disposition"] == f'{name}.csv"'


def test_the_program_levels_export_is_named_for_the_program(as_lena: Client) -> None:
    response = as_lena.get("/partnerships/program/todos/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="program-to-dos-')


def test_the_export_is_read_only(world: World, as_maria: Client) -> None:
    url = f"/partnerships/{world.northwind.pk}/todos/export/"
    assert as_maria.post(url).status_code == 405


def test_an_exports_queries_do_not_grow_with_its_rows(world: World, as_maria: Client) -> None:
    def queries(count: int) -> int:
        Todo.objects.filter(title__startswith="Row ").delete()
        for number in range(count):
            Todo.objects.create(
                workspace=world.acme, partnership=world.northwind, title=f"Row {number}",
                owner=world.pat if number % 2 else world.maria,
            )  # fmt: skip
        with CaptureQueriesContext(connection) as captured:
            rows = csv_rows(export(as_maria, world, "todos"))
        assert len(rows) == count + 2
        return len(captured.captured_queries)

    assert queries(3) == queries(30)


def test_a_rock_export_reads_each_goal_as_the_reader_may_see_it(
    world: World, as_pat: Client
) -> None:
    from tandem.traction.models import Rock

    Rock.objects.filter(pk=world.shared_rock.pk).update(goal=world.internal_goal)
    row = next(row for row in csv_rows(export(as_pat, world, "rocks")))
    assert row["Title"] == world.shared_rock.title
    assert row["1-year goal"] == ""  # the goal is internal: Pat does not learn of it
    assert row["Year"] == "2026"
    assert row["Quarter"] == "Q4"  # as the page names it


# --- The API --------------------------------------------------------------------------------


def bearer(world: World, person: str) -> Client:
    secret = token_create(user=getattr(world, person), name="Exports")[1]
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.mark.parametrize("things", ["todos", "rocks", "ledger", "opportunities", "contacts"])
def test_the_api_exports_with_a_token_what_pat_may_see(world: World, things: str) -> None:
    exchange = _exchange(world)
    internal = {
        "todos": world.internal_todo.title,
        "rocks": world.internal_rock.title,
        "ledger": exchange["internal_entry"].title,
        "opportunities": exchange["internal_opportunity"].account_name,
        "contacts": world.internal_contact.name,
    }[things]
    client = bearer(world, "pat")
    url = f"/api/partnerships/{world.northwind.pk}/{things}/export"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert rows
    assert {row["Visibility"] for row in rows} == {"Shared"}
    assert internal not in {value for row in rows for value in row.values()}
    excel = client.get(url, {"format": "xlsx"})
    assert excel.status_code == 200
    assert excel["Content-Type"] == XLSX
    assert len(xlsx_rows(excel)) == len(rows)


def test_the_api_refuses_an_unknown_format_with_a_problem(world: World) -> None:
    response = bearer(world, "maria").get(
        f"/api/partnerships/{world.northwind.pk}/todos/export", {"format": "docx"}
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "format" in response.json()["errors"]


def test_the_api_export_is_not_there_for_olga(world: World) -> None:
    response = bearer(world, "olga").get(f"/api/partnerships/{world.northwind.pk}/todos/export")
    assert response.status_code == 404


def test_internal_items_are_written_for_members(world: World) -> None:
    rows = csv_rows(
        bearer(world, "lena").get(f"/api/partnerships/{world.northwind.pk}/todos/export")
    )
    assert {row["Visibility"] for row in rows} == {"Shared", "Internal"}
    assert Visibility.INTERNAL not in {
        row["Visibility"] for row in rows
    }  # its label, not "internal"
