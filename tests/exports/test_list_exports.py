"""The lists that are not one item type, as files: the portfolio, a partnership's contacts
and activity, its meetings and scorecard, the dashboard and the alerts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tandem.core.access import Visibility
from tandem.meetings.models import Meeting
from tandem.partners.services import NOTES
from tandem.scorecard.models import Entry as Value
from tandem.traction.models import Todo
from tests.conftest import World, client_for
from tests.exports.test_item_exports import body, csv_rows, xlsx_rows

PERIOD = "2026-11-02"


def test_maria_exports_the_portfolio_archived_partnerships_too(
    world: World, as_maria: Client
) -> None:
    world.globex.archived_at = timezone.now()
    world.globex.save(update_fields=["archived_at"])
    response = as_maria.get("/partnerships/export/")
    assert response.status_code == 200
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="acme-partnerships-{day}.csv"'
    rows = {row["Partner company"]: row for row in csv_rows(response)}
    assert set(rows) == {"Northwind", "Globex"}  # never Initech's Initrode
    assert rows["Northwind"]["Day-to-day owner"] == "Maria Manager"
    assert rows["Northwind"]["Archived at"] == ""
    assert rows["Globex"]["Archived at"].endswith("Z")


def test_the_portfolio_export_keeps_the_pages_filters(world: World, as_maria: Client) -> None:
    rows = csv_rows(as_maria.get("/partnerships/export/", {"q": "north"}))
    assert [row["Partner company"] for row in rows] == ["Northwind"]


@pytest.mark.parametrize("url", ["/partnerships/export/", "/dashboard/export/", "/alerts/export/"])
def test_the_workspaces_lists_are_for_its_members(world: World, url: str) -> None:
    assert client_for(world.pat).get(url).status_code == 403
    olga = client_for(world.olga).get(url)
    assert olga.status_code == 200  # her own workspace's, which holds none of Acme's
    assert b"Northwind" not in body(olga)


def test_pat_exports_the_contacts_and_notes_shared_with_him(world: World, as_pat: Client) -> None:
    base = f"/partnerships/{world.northwind.pk}"
    contacts = csv_rows(as_pat.get(f"{base}/contacts/export/"))
    assert [row["Name"] for row in contacts] == [world.shared_contact.name]
    notes = xlsx_rows(as_pat.get(f"{base}/notes/export/", {"format": "xlsx"}))
    assert [row["Title"] for row in notes] == [world.shared_note.title]


def test_the_activity_export_holds_only_what_pat_may_see(world: World, as_pat: Client) -> None:
    maria = world.actor(world.maria)
    NOTES.create(actor=maria, partnership=world.northwind, title="Walk-away price", body="x",
                 visibility=Visibility.INTERNAL)  # fmt: skip
    NOTES.create(actor=maria, partnership=world.northwind, title="Agenda for Monday", body="y")
    url = f"/partnerships/{world.northwind.pk}/activity/export/"
    mine = csv_rows(client_for(world.maria).get(url))
    assert {"Walk-away price", "Agenda for Monday"} <= {row["Item"] for row in mine}
    rows = csv_rows(as_pat.get(url))
    assert "Agenda for Monday" in {row["Item"] for row in rows}
    assert b"Walk-away price" not in body(as_pat.get(url))
    assert rows[0]["Who"] == "Maria Manager"


def test_the_meetings_export_lists_each_meeting(world: World, as_pat: Client) -> None:
    started = timezone.now() - timezone.timedelta(hours=2)
    Meeting.objects.create(
        workspace=world.acme, partnership=world.northwind, facilitator=world.maria,
        started_at=started, ended_at=started + timezone.timedelta(hours=1),
    )  # fmt: skip
    rows = csv_rows(as_pat.get(f"/partnerships/{world.northwind.pk}/meetings/export/"))
    assert len(rows) == 1
    assert rows[0]["Kind"] == "Weekly pulse"
    assert rows[0]["Facilitator"] == "Maria Manager"
    assert rows[0]["Ended at"].endswith("Z")
    assert (
        client_for(world.lee)
        .get(f"/partnerships/{world.northwind.pk}/meetings/export/")
        .status_code
        == 404
    )


def test_the_scorecard_export_has_each_value_per_period(world: World, as_pat: Client) -> None:
    for measurable, number in ((world.shared_measurable, 7), (world.internal_measurable, 31)):
        Value.objects.create(measurable=measurable, period_start=PERIOD, value=number)
    url = f"/partnerships/{world.northwind.pk}/scorecard/export/"
    rows = csv_rows(as_pat.get(url, {"to": "2026-11-08"}))
    assert {row["Measurable"] for row in rows} == {"Leads referred"}  # not "Margin kept"
    assert len(rows) == 13  # the 13 weeks the grid shows
    week = next(row for row in rows if row["Period"] == PERIOD)
    assert week["Value"] == "7"
    assert week["Status"] == "On track"
    member = csv_rows(client_for(world.maria).get(url, {"to": "2026-11-08"}))
    assert {row["Measurable"] for row in member} == {"Leads referred", "Margin kept"}


def test_the_dashboard_export_has_a_row_per_current_partnership(
    world: World, as_lena: Client
) -> None:
    response = as_lena.get("/dashboard/export/", {"format": "xlsx"})
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert {row["Partnership"] for row in rows} == {"Northwind", "Globex"}
    assert all(isinstance(row["Alerts"], int) for row in rows)


def test_the_alerts_export_names_each_partnership(world: World, as_lena: Client) -> None:
    Todo.objects.filter(pk=world.shared_todo.pk).update(due_on="2026-01-05")
    rows = csv_rows(as_lena.get("/alerts/export/"))
    assert rows
    assert {row["Partnership"] for row in rows} <= {"Northwind", "Globex"}
    assert all(row["Next step"] for row in rows)


@pytest.mark.parametrize(
    ("page", "export"),
    [
        ("todos/", "todos/export/"),
        ("rocks/", "rocks/export/"),
        ("value/", "value/export/"),
        ("pipeline/", "pipeline/export/"),
        ("scorecard/", "scorecard/export/"),
        ("meetings/", "meetings/export/"),
        ("activity/", "activity/export/"),
        ("", "contacts/export/"),
    ],
)
def test_each_list_page_offers_its_export(
    world: World, as_pat: Client, page: str, export: str
) -> None:
    base = f"/partnerships/{world.northwind.pk}/"
    html = as_pat.get(base + page).content.decode()
    assert f'href="{base}{export}?format=csv"' in html
    assert f'href="{base}{export}?format=xlsx"' in html


def test_the_portfolio_offers_its_export_with_its_filters(world: World, as_maria: Client) -> None:
    html = as_maria.get("/partnerships/", {"stage": "active"}).content.decode()
    assert 'href="/partnerships/export/?stage=active&amp;format=csv"' in html
