"""The import pages, as Lena and Maria use them: upload a CRM's CSV file, map its columns
with a preview, check it, import it, and follow the progress; every bad input shown on the
page with a 400 and nothing written; nobody outside the workspace's members gets in."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.exchange.pipeline.models import Opportunity
from tandem.transfer.imports.models import ImportJob
from tests.conftest import World, client_for

HUBSPOT = (
    "Record ID,Deal Name,Amount,Close Date,Deal Stage\r\n"
    '101,Contoso renewal,"$1,200.00",2026-12-15,Qualified\r\n'
    '102,Fabrikam upsell,"$3,400.50",2027-01-20,Qualified\r\n'
    "103,Tailspin pilot,lots,2027-02-01,Qualified\r\n"
)


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.IMPORTS_DIR = str(tmp_path / "imports")


def _csv(text: str, name: str = "deals.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def _upload(client: Client, world: World, text: str = HUBSPOT, **extra: Any) -> Any:
    data = {
        "target": "opportunities",
        "source": "HubSpot",
        "partnership": world.northwind.pk,
        "file": _csv(text),
        "encoding": "",
        "delimiter": "",
        **extra,
    }
    return client.post("/workspace/imports/new/", data)


def _job_url(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def _selected(body: str, name: str) -> str:
    """The option a select of the page has chosen."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S)
    assert select, f"no select {name}"
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(1))
    return chosen.group(1) if chosen else ""


def _mapping(**overrides: str) -> dict[str, str]:
    return {
        "version": "",
        "map_external_id": "Record ID",
        "map_account_name": "Deal Name",
        "map_amount": "Amount",
        "map_expected_close": "Close Date",
        "map_stage": "Deal Stage",
        "form_expected_close": "",
        "key": "external_id",
        **overrides,
    }


def test_lena_imports_hubspot_deals_from_upload_to_result(
    world: World, as_lena: Client, django_capture_on_commit_callbacks: Any
) -> None:
    empty = as_lena.get("/workspace/imports/")
    assert empty.status_code == 200
    assert "No imports yet" in empty.content.decode()
    assert "Opportunities (pipeline)" in empty.content.decode()  # what can be imported

    new = as_lena.get("/workspace/imports/new/")
    body = new.content.decode()
    assert 'accept=".csv,.txt,text/csv"' in body
    assert "Detect automatically" in body and "Windows-1252" in body
    assert '<option value="HubSpot">' in body  # a suggested source

    url = _job_url(_upload(as_lena, world))
    page = as_lena.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    # The mapping, with the columns suggested from their names, and the file's first rows.
    assert _selected(body, "map_account_name") == "Deal Name"
    assert _selected(body, "map_external_id") == "Record ID"
    assert "Contoso renewal" in body and "Tailspin pilot" in body
    assert 'role="region" aria-label="The first rows of the file"' in body
    assert "Check the file" in body
    assert not Opportunity.objects.exists()

    checked = as_lena.post(url, _mapping(version=str(ImportJob.objects.get().version)))
    assert checked.status_code == 302
    body = as_lena.get(url).content.decode()
    # The dry run: the bad amount on line 4, in its column, with its reason; nothing written.
    errors = re.search(r'aria-label="Rows with problems">(.*?)</table>', body, re.S)
    assert errors, body
    assert re.search(r"<td class=\"num\">4</td><td>Amount</td><td>[^<]*lots", errors.group(1))
    assert "Import the 2 valid rows only" in body
    assert "Import all" not in body  # all or nothing needs a file without problems
    assert not Opportunity.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):  # the task runs in process
        started = as_lena.post(f"{url}start/", {"mode": "valid"})
    assert started.status_code == 302
    body = as_lena.get(url).content.decode()
    assert "Imported" in body
    assert re.search(r"<dt>Created</dt><dd>2</dd>", body)
    assert re.search(r"<dt>Skipped</dt><dd>1</dd>", body)
    assert re.search(r'aria-label="Rows with problems">.*<td class="num">4</td>', body, re.S)
    assert f'href="/partnerships/{world.northwind.pk}/pipeline/"' in body
    names = set(Opportunity.objects.values_list("account_name", flat=True))
    assert {"Contoso renewal", "Fabrikam upsell"} <= names and "Tailspin pilot" not in names

    listed = as_lena.get("/workspace/imports/").content.decode()
    assert "deals.csv" in listed and "Lena Lead" in listed and "HubSpot" in listed


def test_a_clean_file_imports_all_or_nothing(
    world: World, as_maria: Client, django_capture_on_commit_callbacks: Any
) -> None:
    clean = "\r\n".join(HUBSPOT.splitlines()[:3]) + "\r\n"
    url = _job_url(_upload(as_maria, world, clean))
    as_maria.post(url, _mapping(version=str(ImportJob.objects.get().version)))
    body = as_maria.get(url).content.decode()
    assert "All 2 rows can be imported." in body
    assert "Import all 2 rows" in body
    with django_capture_on_commit_callbacks(execute=True):
        as_maria.post(f"{url}start/", {"mode": "all"})
    assert ImportJob.objects.get().status == "done"
    assert Opportunity.objects.filter(account_name="Fabrikam upsell").exists()


def test_a_big_import_on_sqlite_warns_that_others_changes_wait(
    world: World, as_maria: Client, monkeypatch: Any
) -> None:
    from tandem.transfer.imports import views

    clean = "\r\n".join(HUBSPOT.splitlines()[:3]) + "\r\n"
    url = _job_url(_upload(as_maria, world, clean))
    as_maria.post(url, _mapping(version=str(ImportJob.objects.get().version)))
    assert 'id="writes-wait"' not in as_maria.get(url).content.decode()  # 2 rows: no wait
    monkeypatch.setattr(views, "WRITES_WAIT_FROM", 2)
    body = as_maria.get(url).content.decode()
    # SQLite takes one writer at a time; PostgreSQL serves others' changes meanwhile.
    assert ('id="writes-wait"' in body) == (connection.vendor == "sqlite")


def test_the_mapping_is_remembered_for_the_next_file_from_the_source(
    world: World, as_lena: Client
) -> None:
    renamed = HUBSPOT.replace("Deal Name", "Name of the deal")
    first = _job_url(_upload(as_lena, world, renamed))
    job = ImportJob.objects.get()
    as_lena.post(first, _mapping(map_account_name="Name of the deal", version=str(job.version)))
    second = _job_url(_upload(as_lena, world, renamed))
    assert _selected(as_lena.get(second).content.decode(), "map_account_name") == (
        "Name of the deal"
    )


def test_an_ambiguous_date_column_is_asked_never_guessed(
    world: World, as_lena: Client, django_capture_on_commit_callbacks: Any
) -> None:
    text = "Deal Name,Close Date\r\nContoso,03/04/2026\r\nFabrikam,05/06/2026\r\n"
    url = _job_url(_upload(as_lena, world, text))
    body = as_lena.get(url).content.decode()
    assert "read both ways" in body
    mapping = {
        "version": str(ImportJob.objects.get().version),
        "map_account_name": "Deal Name",
        "map_expected_close": "Close Date",
        "key": "account_name",
    }
    refused = as_lena.post(url, mapping)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "<html" in body
    assert re.search(r'id="id_form_expected_close_error"', body), "the message on the question"
    assert ImportJob.objects.get().status == "uploaded"

    chosen = as_lena.post(url, {**mapping, "form_expected_close": "eu"})
    assert chosen.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        as_lena.post(f"{url}start/", {"mode": "all"})
    deal = Opportunity.objects.get(account_name="Contoso")
    assert deal.expected_close.isoformat() == "2026-04-03"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"Deal Name,Amount\r\n", "no data rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "not a CSV file"),
    ],
    ids=["empty", "header only", "binary"],
)
def test_a_file_that_cannot_be_read_is_refused_on_the_field(
    world: World, as_lena: Client, content: bytes, message: str
) -> None:
    response = as_lena.post(
        "/workspace/imports/new/",
        {
            "target": "opportunities",
            "source": "HubSpot",
            "partnership": world.northwind.pk,
            "file": SimpleUploadedFile("deals.csv", content),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    if content:
        assert re.search(r'id="id_file_error"><li>[^<]*' + re.escape(message), body), body
    else:
        # Django's own form refuses an empty upload before the service sees it.
        assert 'id="id_file_error"' in body
    assert not ImportJob.objects.exists()


def test_a_file_over_the_limit_is_refused(
    world: World, as_lena: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tandem.transfer.imports import reading

    monkeypatch.setattr(reading, "MAX_BYTES", 100)
    response = _upload(as_lena, world, HUBSPOT * 3)
    assert response.status_code == 400
    assert re.search(
        r'id="id_file_error"><li>The file is larger than 200 MB', response.content.decode()
    )
    assert not ImportJob.objects.exists()


def test_rows_with_too_many_or_too_few_cells_are_listed_by_the_check(
    world: World, as_lena: Client
) -> None:
    text = HUBSPOT + "104,Woodgrove\r\n105,Litware,$10,2027-01-01,Qualified,extra\r\n"
    url = _job_url(_upload(as_lena, world, text))
    as_lena.post(url, _mapping(version=str(ImportJob.objects.get().version)))
    body = as_lena.get(url).content.decode()
    errors = re.search(r'aria-label="Rows with problems">(.*?)</table>', body, re.S)
    assert errors
    assert '<td class="num">5</td>' in errors.group(1)
    assert '<td class="num">6</td>' in errors.group(1)
    assert not Opportunity.objects.exists()


def test_a_column_that_is_not_in_the_file_is_refused_on_its_field(
    world: World, as_lena: Client
) -> None:
    url = _job_url(_upload(as_lena, world))
    response = as_lena.post(url, _mapping(map_amount="Revenue"))
    assert response.status_code == 400
    assert 'id="id_map_amount_error"' in response.content.decode()
    assert ImportJob.objects.get().status == "uploaded"


def test_a_required_field_left_unmapped_is_refused(world: World, as_lena: Client) -> None:
    url = _job_url(_upload(as_lena, world))
    version = str(ImportJob.objects.get().version)
    response = as_lena.post(url, _mapping(map_account_name="", version=version))
    assert response.status_code == 400
    assert "Customer account" in response.content.decode()
    assert ImportJob.objects.get().status == "uploaded"


def test_the_new_import_page_asks_for_the_partnership_when_the_target_needs_one(
    world: World, as_lena: Client
) -> None:
    response = _upload(as_lena, world, partnership="")
    assert response.status_code == 400
    assert 'id="id_partnership_error"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_progress_is_a_fragment_polled_by_get_only(world: World, as_lena: Client) -> None:
    url = _job_url(_upload(as_lena, world))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status="queued")
    page = as_lena.get(url).content.decode()
    assert "<progress" in page and f'hx-get="{url}progress/"' in page
    assert "Cancel the import" in page

    fragment = as_lena.get(f"{url}progress/", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert "hx-trigger" in fragment.content.decode()  # still polling
    assert as_lena.post(f"{url}progress/").status_code == 405

    # Running: the worker's last report gives the bar, the rows and the time left.
    ImportJob.objects.filter(pk=job.pk).update(status="running", total_rows=100)
    now = time.time()
    report = {"started": now - 30, "beat": now, "total": 100, "checked": 100, "written": 50}
    job.beside("progress").write_text(json.dumps(report))
    running = as_lena.get(f"{url}progress/", headers={"HX-Request": "true"}).content.decode()
    assert '<progress class="import-progress" max="100" value="75"' in running
    assert "50 of 100 rows" in running and "about 10 seconds left" in running

    ImportJob.objects.filter(pk=job.pk).update(status="done")
    ended = as_lena.get(f"{url}progress/", headers={"HX-Request": "true"})
    assert ended["HX-Refresh"] == "true"  # the whole page shows the result


def test_cancelling_a_waiting_import_writes_nothing(world: World, as_lena: Client) -> None:
    url = _job_url(_upload(as_lena, world))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status="queued")
    response = as_lena.post(f"{url}cancel/")
    assert response.status_code == 302
    assert ImportJob.objects.get().status == "cancelled"
    assert "Cancelled" in as_lena.get(url).content.decode()
    assert not Opportunity.objects.exists()


def test_pat_on_the_partner_side_is_refused(world: World, as_lena: Client) -> None:
    url = _job_url(_upload(as_lena, world))
    pat = client_for(world.pat)
    for path in ("/workspace/imports/", "/workspace/imports/new/", url, f"{url}progress/"):
        assert pat.get(path).status_code == 403, path
    assert pat.post(f"{url}start/", {"mode": "all"}).status_code == 403
    assert ImportJob.objects.get().status == "uploaded"


def test_olga_of_another_workspace_finds_nothing(world: World, as_lena: Client) -> None:
    url = _job_url(_upload(as_lena, world))
    olga = client_for(world.olga)
    assert "deals.csv" not in olga.get("/workspace/imports/").content.decode()
    for path in (url, f"{url}progress/"):
        assert olga.get(path).status_code == 404, path
    assert olga.post(f"{url}cancel/").status_code == 404
    assert olga.post(url, _mapping()).status_code == 404
    assert ImportJob.objects.get().status == "uploaded"


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_list_pages_in_constant_queries(world: World, as_lena: Client) -> None:
    _job_url(_upload(as_lena, world))
    few = _queries(as_lena, "/workspace/imports/")
    for _ in range(4):
        _job_url(_upload(as_lena, world))
    assert _queries(as_lena, "/workspace/imports/") == few


def test_the_mapping_survives_garbage(world: World, as_lena: Client) -> None:
    """Hostile values in every field of the mapping: a message and a 400, nothing saved."""
    url = _job_url(_upload(as_lena, world))
    job = ImportJob.objects.get()
    for value in ("x" * 5000, "\x00", "💥", "<script>", "-1", "99999999999999999999999"):
        data = {name: value for name in _mapping()} | {"key": value}
        response = as_lena.post(url, data)
        assert response.status_code == 400, value
        assert "<script>" not in response.content.decode().split("<main", 1)[1]
    assert ImportJob.objects.get().version == job.version
    assert ImportJob.objects.get().mapping == {}
    assert as_lena.post(f"{url}start/", {"mode": "💥"}).status_code == 302
    assert ImportJob.objects.get().status == "uploaded"


def test_an_import_whose_file_is_gone_says_so(world: World, as_lena: Client) -> None:
    url = _job_url(_upload(as_lena, world))
    ImportJob.objects.get().path.unlink()
    body = as_lena.get(url).content.decode()
    assert "The uploaded file is no longer on the server" in body
    assert as_lena.post(url, _mapping()).status_code == 400


def test_an_import_whose_worker_died_can_be_started_again(
    world: World, as_lena: Client, django_capture_on_commit_callbacks: Any
) -> None:
    clean = "\r\n".join(HUBSPOT.splitlines()[:3]) + "\r\n"
    url = _job_url(_upload(as_lena, world, clean))
    as_lena.post(url, _mapping(version=str(ImportJob.objects.get().version)))
    long_ago = timezone.now() - timedelta(minutes=10)
    ImportJob.objects.update(status="running", started_at=long_ago)  # no report since
    body = as_lena.get(url).content.decode()
    assert "This import stopped when its worker did: nothing of it was written." in body
    assert 'hx-get="' not in body  # nothing to follow
    with django_capture_on_commit_callbacks(execute=True):
        assert as_lena.post(f"{url}start/", {"mode": "all"}).status_code == 302
    assert ImportJob.objects.get().status == "done"
    assert Opportunity.objects.count() == 2
