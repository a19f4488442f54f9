"""The dry run of a big file runs on the task worker (issue 17): Maria's request answers at
once, the page follows the check with a progress bar, an estimate and a cancel button, and
the result is the one a small file gets while she waits. A cancel puts the import back where
it was (uploaded, mapping kept); a dead worker's dry run is seen as stale and checked again.

The threshold is made small rather than the files big; the tests' task backend runs the
task at once, after the commit."""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, TestCase
from django.utils import timezone

from tandem.accounts.services import token_create
from tandem.core.errors import InvalidInput
from tandem.exchange.pipeline.models import Opportunity
from tandem.transfer.imports import checking, services, tasks
from tandem.transfer.imports.models import ImportJob, Status
from tests.conftest import World
from tests.imports.conftest import mapped, uploaded

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


@pytest.fixture
def big(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every file over 100 bytes is a big one."""
    monkeypatch.setattr(services, "CHECKED_WHILE_YOU_WAIT", 100)
    yield


def _errors(job: ImportJob) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.reason) for e in job.errors.order_by("row", "pk")]


def _checked_on_the_worker(world: World, job: ImportJob) -> tuple[ImportJob, ImportJob]:
    """The job as the request leaves it, and as the worker leaves it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        answered = services.check(actor=world.actor(world.maria), job=job)
    return answered, ImportJob.objects.get(pk=job.pk)


def _claimed(job: ImportJob, checked: int = 0, total: int = 0, **report: Any) -> ImportJob:
    """A dry run a live worker (this process) has claimed and reports on."""
    ImportJob.objects.filter(pk=job.pk).update(status=Status.CHECKING, started_at=timezone.now())
    now = time.time()
    state = {
        "started": now - 10,
        "beat": now,
        "total": total,
        "checked": checked,
        "written": 0,
        "phase": "checking",
        "pid": os.getpid(),
        "host": socket.gethostname(),
    } | report
    job.beside("progress").write_text(json.dumps(state))
    return ImportJob.objects.get(pk=job.pk)


def test_a_big_file_is_checked_on_the_worker_with_the_same_result(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    waited = services.check(
        actor=world.actor(world.maria), job=mapped(world, HEADER + GOOD + BAD, MAPPING)
    )
    monkeypatch.setattr(services, "CHECKED_WHILE_YOU_WAIT", 100)
    job = mapped(world, HEADER + GOOD + BAD, MAPPING)
    answered, job = _checked_on_the_worker(world, job)
    assert answered.status == Status.CHECKING  # the request did not wait for the rows
    assert (job.status, job.total_rows, job.valid_rows, job.error_count, job.message) == (
        Status.CHECKED,
        5,
        2,
        6,
        "",
    )
    assert _errors(job) == _errors(waited)
    assert job.mapping == MAPPING  # the mapping is kept
    assert not job.beside("progress").exists() and not job.beside("cancel").exists()
    assert not job.beside("rows").exists()  # nothing staged: a dry run writes nothing
    assert not Opportunity.objects.exists()
    # It is started as a checked file is: all or nothing, unless the valid rows only.
    with pytest.raises(InvalidInput, match="valid rows only"):
        services.start(actor=world.actor(world.maria), job=job)


def test_the_worker_keeps_the_first_errors_and_counts_them_all(
    world: World, big: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checking, "KEPT_ERRORS", 2)
    _, job = _checked_on_the_worker(world, mapped(world, HEADER + GOOD + BAD, MAPPING))
    assert (job.status, job.error_count, job.errors.count()) == (Status.CHECKED, 6, 2)
    assert _errors(job)[0] == (4, "Amount", "“lots” is not an amount")


def test_a_file_the_worker_cannot_read_fails_with_the_reason(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def damaged() -> ImportJob:
        job = mapped(world, HEADER + GOOD * 200 + BAD, MAPPING)
        with job.path.open("ab") as stored:  # the stored copy changed after the upload
            stored.write(b"9,Caf\xe9,1,USD,2026-12-01,\n")
        return job

    with pytest.raises(InvalidInput) as refused:  # a small file: while Maria waits
        services.check(actor=world.actor(world.maria), job=damaged())
    monkeypatch.setattr(services, "CHECKED_WHILE_YOU_WAIT", 100)
    _, job = _checked_on_the_worker(world, damaged())
    assert (job.status, job.message) == (Status.FAILED, refused.value.detail)
    assert "is not UTF-8 text" in job.message
    assert not job.errors.exists()
    assert not job.beside("progress").exists()


def test_a_cancel_asked_before_the_worker_runs_puts_the_import_back(
    world: World, big: None, django_capture_on_commit_callbacks: Any
) -> None:
    job = mapped(world, HEADER + GOOD + BAD, MAPPING, key=["external_id"])
    before = ImportJob.objects.filter(pk=job.pk).values().get()
    with django_capture_on_commit_callbacks() as waiting:
        services.check(actor=world.actor(world.maria), job=job)
    job.beside("cancel").touch()  # what a cancel of a claimed dry run does
    for callback in waiting:
        callback()  # the worker comes
    job = ImportJob.objects.get(pk=job.pk)
    assert (job.status, job.message) == (Status.UPLOADED, tasks.DRY_RUN_CANCELLED)
    assert job.message.startswith("Dry run cancelled")
    after = ImportJob.objects.filter(pk=job.pk).values().get()
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"message", "version"}  # uploaded, its mapping and all else as it was
    assert not job.errors.exists()
    assert not job.beside("cancel").exists() and not job.beside("progress").exists()
    # Checked again, it runs to its end.
    _, job = _checked_on_the_worker(world, job)
    assert (job.status, job.error_count) == (Status.CHECKED, 6)


def test_a_running_dry_run_is_told_to_stop_and_stops_at_its_next_batch(
    world: World, big: None
) -> None:
    job = _claimed(mapped(world, HEADER + GOOD + BAD, MAPPING), checked=5000, total=20000)
    job = services.cancel(actor=world.actor(world.maria), job=job)
    assert job.status == Status.CHECKING and job.cancelling  # the worker is told by file
    assert job.beside("cancel").exists()
    assert tasks.check(job) == "cancelled"
    job = ImportJob.objects.get(pk=job.pk)
    assert (job.status, job.mapping) == (Status.UPLOADED, MAPPING)
    assert job.message.startswith("Dry run cancelled")


def test_a_dry_run_waiting_for_the_worker_is_cancelled_at_once(
    world: World, big: None, django_capture_on_commit_callbacks: Any
) -> None:
    job = mapped(world, HEADER + GOOD, MAPPING)
    with django_capture_on_commit_callbacks() as waiting:
        job = services.check(actor=world.actor(world.maria), job=job)
    job = services.cancel(actor=world.actor(world.maria), job=job)
    assert (job.status, job.mapping) == (Status.UPLOADED, MAPPING)
    assert job.message.startswith("Dry run cancelled")
    for callback in waiting:
        callback()  # the worker comes late: there is nothing to check
    assert ImportJob.objects.get(pk=job.pk).status == Status.UPLOADED
    assert tasks.run_check.call(job.pk) == "skipped: not waiting for a check"


def test_a_dry_run_whose_worker_died_is_stale_and_checked_again(world: World, big: None) -> None:
    job = mapped(world, HEADER + GOOD + BAD, MAPPING)
    long_ago = timezone.now() - timedelta(minutes=10)
    ImportJob.objects.filter(pk=job.pk).update(status=Status.CHECKING, started_at=long_ago)
    job = ImportJob.objects.get(pk=job.pk)
    assert job.is_stale  # claimed, and no report since
    # A worker elsewhere that stopped reporting is as dead.
    job = _claimed(job, checked=5000, beat=time.time() - 600, host="elsewhere")
    assert job.is_stale
    # One that reports, and one not yet claimed, are not.
    assert not _claimed(job, checked=5000).is_stale
    ImportJob.objects.filter(pk=job.pk).update(started_at=None)
    assert not ImportJob.objects.get(pk=job.pk).is_stale

    ImportJob.objects.filter(pk=job.pk).update(started_at=long_ago)
    job.beside("progress").unlink()
    _, job = _checked_on_the_worker(world, ImportJob.objects.get(pk=job.pk))
    assert (job.status, job.valid_rows, job.error_count) == (Status.CHECKED, 2, 6)


def test_while_checking_the_mapping_is_fixed_and_the_import_cannot_start(
    world: World, big: None
) -> None:
    job = _claimed(mapped(world, HEADER + GOOD, MAPPING), checked=5000, total=20000)
    maria = world.actor(world.maria)
    with pytest.raises(InvalidInput, match="This file is being checked"):
        services.start(actor=maria, job=job)
    with pytest.raises(InvalidInput, match="This file is being checked"):
        services.set_mapping(actor=maria, job=job, version=job.version, mapping=MAPPING, key=[])
    with pytest.raises(InvalidInput, match="This file is being checked"):
        services.check(actor=maria, job=job)
    assert ImportJob.objects.get(pk=job.pk).status == Status.CHECKING


def test_the_progress_of_a_dry_run_counts_one_pass_and_estimates_the_rest(
    world: World, big: None
) -> None:
    job = mapped(world, HEADER + GOOD, MAPPING)
    ImportJob.objects.filter(pk=job.pk).update(status=Status.CHECKING)
    waiting = ImportJob.objects.get(pk=job.pk).progress()
    assert (waiting.percent, waiting.rows_done, waiting.phase) == (0, 0, "")

    progress = _claimed(job, checked=5000, total=20000).progress()
    # A quarter read in 10 seconds: three quarters left, 30 seconds.
    assert (progress.percent, progress.rows_done, progress.total_rows) == (25, 5000, 20000)
    assert (progress.seconds_left, progress.phase) == (30, "checking")
    # More rows than the lines counted at upload (a file with lone carriage returns): never
    # past 99 %, and no made-up time left.
    beyond = _claimed(job, checked=25000, total=20000).progress()
    assert (beyond.percent, beyond.total_rows, beyond.seconds_left) == (99, 25000, None)
    # An import still counts its two passes.
    ImportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING)
    job.beside("progress").write_text(
        json.dumps({"started": 0, "beat": 10, "total": 100, "checked": 100, "written": 50})
    )
    assert ImportJob.objects.get(pk=job.pk).progress().percent == 75


def _api(world: World) -> tuple[Client, str]:
    secret = token_create(user=world.maria, name="import")[1]
    return Client(headers={"Authorization": f"Bearer {secret}"}), (
        f"/api/workspaces/{world.acme.pk}/imports"
    )


def test_the_api_answers_202_for_a_big_file_and_200_for_a_small_one(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, base = _api(world)
    small = mapped(world, HEADER + GOOD, MAPPING)
    answered = client.post(f"{base}/{small.pk}/check")
    assert answered.status_code == 200
    assert answered.json()["status"] == "checked"

    monkeypatch.setattr(services, "CHECKED_WHILE_YOU_WAIT", 100)
    job = mapped(world, HEADER + GOOD + BAD, MAPPING)
    with TestCase.captureOnCommitCallbacks(execute=True):
        answered = client.post(f"{base}/{job.pk}/check")
    assert answered.status_code == 202
    assert answered.json()["status"] == "checking"
    done = client.get(f"{base}/{job.pk}").json()
    assert (done["status"], done["valid_rows"], done["error_count"]) == ("checked", 2, 6)
    assert len(client.get(f"{base}/{job.pk}/errors").json()["items"]) == 6


def test_the_api_shows_a_dry_runs_progress_and_refuses_to_start_it(world: World, big: None) -> None:
    client, base = _api(world)
    job = _claimed(mapped(world, HEADER + GOOD, MAPPING), checked=5000, total=20000)
    shown = client.get(f"{base}/{job.pk}").json()
    assert shown["status"] == "checking"
    assert shown["progress"] == {
        "percent": 25,
        "rows_done": 5000,
        "total_rows": 20000,
        "seconds_left": 30,
        "phase": "checking",
    }
    refused = client.post(f"{base}/{job.pk}/start")
    assert refused.status_code == 400
    assert "being checked" in refused.json()["detail"]
    cancelled = client.post(f"{base}/{job.pk}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["cancelling"] is True


def _mapping_form(job: ImportJob) -> dict[str, str]:
    return {
        "version": str(job.version),
        **{f"map_{field}": column for field, column in MAPPING.items()},
        "form_expected_close": "",
        "key": "external_id",
    }


def test_lena_follows_the_dry_run_of_a_big_file_on_the_page(
    world: World, as_lena: Client, big: None, django_capture_on_commit_callbacks: Any
) -> None:
    job = uploaded(world, HEADER + GOOD + BAD)
    url = f"/workspace/imports/{job.pk}/"
    with django_capture_on_commit_callbacks() as waiting:
        posted = as_lena.post(url, _mapping_form(job))
    assert posted.status_code == 302
    assert posted["Location"] == f"{url}#progress"

    # Waiting for the worker, then checking: the bar is polled, the mapping is not offered.
    body = as_lena.get(url).content.decode()
    assert "Waiting for the worker to check the file" in body
    assert f'hx-get="{url}progress/"' in body and "Cancel the dry run" in body
    _claimed(job, checked=5000, total=20000)
    body = as_lena.get(url).content.decode()
    assert "Checking the file" in body
    assert '<progress class="import-progress" max="100" value="25"' in body
    assert 'aria-label="Dry run progress"' in body
    assert "Checking rows… 5000 of about 20000" in body and "about 30 seconds left" in body
    assert 'name="map_amount"' not in body  # the mapping cannot change meanwhile
    fragment = as_lena.get(f"{url}progress/", headers={"HX-Request": "true"})
    assert "Checking rows… 5000 of about 20000" in fragment.content.decode()
    assert "HX-Refresh" not in fragment

    refused = as_lena.post(url, _mapping_form(ImportJob.objects.get(pk=job.pk)))
    assert refused.status_code == 302
    assert ImportJob.objects.get(pk=job.pk).status == Status.CHECKING
    followed = as_lena.get(url).content.decode()
    assert "This file is being checked: cancel the dry run to change it." in followed
    as_lena.post(f"{url}start/", {"mode": "valid"})
    assert "This file is being checked" in as_lena.get(url).content.decode()
    assert ImportJob.objects.get(pk=job.pk).status == Status.CHECKING

    # The worker ends: the poll reloads the page, which shows the dry run's result.
    ImportJob.objects.filter(pk=job.pk).update(started_at=None)
    job.beside("progress").unlink()
    for callback in waiting:
        callback()
    ended = as_lena.get(f"{url}progress/", headers={"HX-Request": "true"})
    assert ended["HX-Refresh"] == "true"
    body = as_lena.get(url).content.decode()
    assert "6 problems</strong> in 5 rows" in body
    assert "Import the 2 valid rows only" in body


def test_lena_cancels_a_dry_run_and_finds_her_mapping(
    world: World, as_lena: Client, big: None, django_capture_on_commit_callbacks: Any
) -> None:
    job = uploaded(world, HEADER + GOOD + BAD)
    url = f"/workspace/imports/{job.pk}/"
    with django_capture_on_commit_callbacks():  # the worker never comes
        as_lena.post(url, _mapping_form(job))
    assert as_lena.post(f"{url}cancel/").status_code == 302
    body = as_lena.get(url).content.decode()
    assert "Dry run cancelled" in body
    assert 'name="map_amount"' in body and "Check the file" in body
    job = ImportJob.objects.get(pk=job.pk)
    assert (job.status, job.mapping) == (Status.UPLOADED, MAPPING)


def test_a_file_gone_before_the_worker_came_fails_with_the_reason(
    world: World, big: None, django_capture_on_commit_callbacks: Any
) -> None:
    job = mapped(world, HEADER + GOOD, MAPPING)
    with django_capture_on_commit_callbacks() as waiting:
        services.check(actor=world.actor(world.maria), job=job)
    job.path.unlink()
    for callback in waiting:
        callback()
    job = ImportJob.objects.get(pk=job.pk)
    assert (job.status, job.message) == (
        Status.FAILED,
        "The uploaded file is no longer here: upload it again.",
    )


def test_a_dry_run_whose_worker_died_says_so_on_the_page(
    world: World, as_lena: Client, big: None
) -> None:
    job = mapped(world, HEADER + GOOD, MAPPING)
    long_ago = timezone.now() - timedelta(minutes=10)
    ImportJob.objects.filter(pk=job.pk).update(status=Status.CHECKING, started_at=long_ago)
    body = as_lena.get(f"/workspace/imports/{job.pk}/").content.decode()
    assert "The dry run stopped when its worker did. Check the file again below." in body
    assert 'hx-get="' not in body  # nothing to follow
    assert 'name="map_amount"' in body and "Import all" not in body
