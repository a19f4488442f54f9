"""The audit trail: Acme's owner Lena reads the whole workspace's log, filtered by who, what,
when and partnership, on the page, as a file and over the API; nobody else reads it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from tandem.accounts import services as accounts
from tandem.accounts.actors import actor_for
from tandem.core.access import Role, Visibility
from tandem.core.models import ActivityEntry
from tandem.partners.services import CONTACTS, NOTES
from tests.conftest import World, client_for
from tests.factories import NoteFactory

AUDIT = "/workspace/audit/"


@pytest.fixture
def log(world: World) -> dict[str, ActivityEntry]:
    """A few changes, written the way people write them: Maria's internal note and Pat's
    shared one in Northwind, Lena's edit of Pat's note, Maria's contact in Globex (back in
    January, just before midnight UTC) and an invitation at the program level."""
    ActivityEntry.objects.all().delete()  # the cast's own set-up (invitations) aside
    maria, pat, lena = (world.actor(person) for person in (world.maria, world.pat, world.lena))
    internal = NOTES.create(
        actor=maria,
        partnership=world.northwind,
        title="Margin floor is 18%",
        visibility=Visibility.INTERNAL,
    )
    shared = NOTES.create(actor=pat, partnership=world.northwind, title="Joint webinar")
    NOTES.update(shared, actor=lena, version=shared.version, title="Joint webinar in March")
    CONTACTS.create(actor=maria, partnership=world.globex, name="Gina Globex")
    accounts.member_invite(
        actor=lena, workspace=world.acme, email="ivy@acme.example", role="member"
    )
    entries = {
        "internal_note": ActivityEntry.objects.get(target_id=internal.pk, verb="created"),
        "shared_note": ActivityEntry.objects.get(
            target_model="partners.note", target_id=shared.pk, verb="created"
        ),
        "edit": ActivityEntry.objects.get(target_id=shared.pk, verb="updated"),
        "contact": ActivityEntry.objects.get(target_model="partners.contact"),
        "invitation": ActivityEntry.objects.get(verb="invited"),
    }
    # 23:30 UTC on 10 January: already the 11th in Auckland (UTC+13 in summer).
    ActivityEntry.objects.filter(pk=entries["contact"].pk).update(
        created_at=datetime(2026, 1, 10, 23, 30, tzinfo=UTC)
    )
    return entries


def labels(response: Any) -> list[str]:
    return [entry.target_label for entry in response.context["page"].object_list]


def api_labels(response: Any) -> list[str]:
    return [entry["target_label"] for entry in response.json()["items"]]


# --- The page ------------------------------------------------------------------------------


def test_lena_reads_the_whole_log_newest_first(world: World, log: Any, as_lena: Client) -> None:
    response = as_lena.get(AUDIT)
    assert response.status_code == 200
    assert labels(response) == [
        "ivy@acme.example",
        "Joint webinar in March",
        "Joint webinar",
        "Margin floor is 18%",
        "Gina Globex",
    ]
    page = response.content.decode()
    # The internal note is in the audit, and says it is internal.
    assert "Margin floor is 18%" in page and "Internal" in page
    assert "Program level" in page and "Globex" in page


def test_lena_filters_by_who(world: World, log: Any, as_lena: Client) -> None:
    response = as_lena.get(AUDIT, {"who": world.pat.pk})
    assert labels(response) == ["Joint webinar"]
    assert response.context["page"].object_list[0].verb == "created"
    # Partner-side people are offered too, and said to be.
    assert "Pat Northwind (pat@northwind.example, partner side)" in response.content.decode()


def test_lena_filters_by_kind_of_item_and_action(world: World, log: Any, as_lena: Client) -> None:
    assert labels(as_lena.get(AUDIT, {"item": "partners.contact"})) == ["Gina Globex"]
    assert labels(as_lena.get(AUDIT, {"item": "partners.note", "verb": "updated"})) == [
        "Joint webinar in March"
    ]


def test_lena_filters_by_partnership_or_the_program_level(
    world: World, log: Any, as_lena: Client
) -> None:
    assert labels(as_lena.get(AUDIT, {"partnership": world.globex.pk})) == ["Gina Globex"]
    assert labels(as_lena.get(AUDIT, {"partnership": "program"})) == ["ivy@acme.example"]


def test_dates_are_whole_days_in_the_readers_time_zone(
    world: World, log: Any, as_lena: Client
) -> None:
    january_11 = {"date_from": "2026-01-11", "date_to": "2026-01-11"}
    assert labels(as_lena.get(AUDIT, january_11)) == []  # Lena's clock is UTC: the 10th
    world.lena.timezone = "Pacific/Auckland"
    world.lena.save(update_fields=["timezone"])
    response = as_lena.get(AUDIT, january_11)
    assert labels(response) == ["Gina Globex"]
    assert 'datetime="2026-01-11T12:30:00+13:00"' in response.content.decode()  # her clock


def test_filters_stay_in_the_pages_links(world: World, log: Any, as_lena: Client) -> None:
    for number in range(55):
        NoteFactory(partnership=world.northwind, title=f"Bulk {number}")
        ActivityEntry.objects.create(
            workspace=world.acme,
            partnership=world.northwind,
            actor=world.pat,
            verb="created",
            target_type="note",
            target_model="partners.note",
            target_label=f"Bulk {number}",
        )
    response = as_lena.get(AUDIT, {"who": world.pat.pk, "partnership": world.northwind.pk})
    assert len(response.context["page"].object_list) == 50
    page = response.content.decode()
    assert f"?who={world.pat.pk}&amp;partnership={world.northwind.pk}&amp;page=2" in page
    second = as_lena.get(AUDIT, {"who": world.pat.pk, "partnership": world.northwind.pk, "page": 2})
    assert len(second.context["page"].object_list) == 6  # 55 + Pat's own note


def test_nothing_matching_says_so(world: World, log: Any, as_lena: Client) -> None:
    response = as_lena.get(AUDIT, {"who": world.lee.pk})
    assert response.status_code == 200
    assert "No changes match" in response.content.decode()


def test_an_empty_log_says_what_will_be_there(world: World, as_lena: Client) -> None:
    ActivityEntry.objects.all().delete()
    response = as_lena.get(AUDIT)
    assert response.status_code == 200
    assert "Nothing recorded yet" in response.content.decode()


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ({"date_from": "2026-13-45"}, "Enter a date as YYYY-MM-DD."),
        ({"date_to": "yesterday"}, "Enter a date as YYYY-MM-DD."),
        ({"date_from": "1850-01-01"}, "Choose a date between 2000 and 2100."),
        (
            {"date_from": "2026-02-01", "date_to": "2026-01-01"},
            "The start date is after the end date: swap them.",
        ),
        ({"who": "somebody"}, "Choose someone from the list"),
        ({"partnership": "999999"}, "Choose one of this workspace&#x27;s partnerships"),
        ({"item": "auth.user"}, "Choose a kind of item from the list."),
    ],
)
def test_a_filter_that_cannot_be_read_is_told_not_a_500(
    world: World, log: Any, as_lena: Client, asked: dict[str, str], message: str
) -> None:
    response = as_lena.get(AUDIT, asked)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'role="alert"' in page
    assert 'aria-invalid="true"' in page


def test_olgas_people_and_partnerships_are_not_offered(
    world: World, log: Any, as_lena: Client
) -> None:
    assert as_lena.get(AUDIT, {"who": world.olga.pk}).status_code == 400
    assert as_lena.get(AUDIT, {"partnership": world.initech_partner.pk}).status_code == 400


def test_the_query_count_does_not_grow_with_the_rows(
    world: World, log: Any, as_lena: Client
) -> None:
    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert as_lena.get(AUDIT).status_code == 200
        return len(captured)

    few = queries()
    for number in range(30):
        note = NOTES.create(
            actor=world.actor(world.pat), partnership=world.northwind, title=f"Note {number}"
        )
        NOTES.update(note, actor=world.actor(world.lena), version=note.version, title=f"N{number}")
    assert queries() == few


def test_the_csv_holds_the_filtered_rows(world: World, log: Any, as_lena: Client) -> None:
    response = as_lena.get(
        f"{AUDIT}export/", {"partnership": world.northwind.pk, "verb": "created"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "acme-analytics-audit-" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["Item"], row["Who"], row["Visibility"]) for row in rows] == [
        ("Joint webinar", "Pat Northwind", "Shared"),
        ("Margin floor is 18%", "Maria Manager", "Internal"),
    ]
    assert {row["Partnership"] for row in rows} == {"Northwind"}


def test_the_export_refuses_a_bad_filter(world: World, log: Any, as_lena: Client) -> None:
    response = as_lena.get(f"{AUDIT}export/", {"date_from": "not-a-date"})
    assert response.status_code == 400
    assert "Enter a date as YYYY-MM-DD." in response.content.decode()


def test_the_members_page_links_the_audit_for_admins_only(
    world: World, as_lena: Client, as_maria: Client
) -> None:
    assert f'href="{AUDIT}"' in as_lena.get("/workspace/members/").content.decode()
    assert f'href="{AUDIT}"' not in as_maria.get("/workspace/members/").content.decode()


@pytest.mark.parametrize("person", ["maria", "pat", "lee"])
def test_nobody_but_owners_and_admins_reads_the_page(world: World, log: Any, person: str) -> None:
    client = client_for(getattr(world, person))
    for url in (AUDIT, f"{AUDIT}export/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Margin floor" not in response.content.decode()


def test_an_admin_reads_it_too(world: World, log: Any) -> None:
    world.maria_membership.role = Role.ADMIN
    world.maria_membership.save(update_fields=["role"])
    assert client_for(world.maria).get(AUDIT).status_code == 200


# --- The API -------------------------------------------------------------------------------


def api_url(world: World) -> str:
    return f"/api/workspaces/{world.acme.pk}/audit"


def test_lena_reads_the_audit_over_the_api(world: World, log: Any) -> None:
    _token, secret = accounts.token_create(user=world.lena, name="Audit")
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    response = api.get(api_url(world))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5 and body["page"] == 1 and body["pages"] == 1
    first = body["items"][0]
    assert first["verb"] == "invited" and first["partnership_id"] is None
    internal = next(item for item in body["items"] if item["target_label"].startswith("Margin"))
    assert internal["visibility"] == "internal"
    assert internal["partnership_name"] == "Northwind"
    assert internal["actor"]["email"] == "maria@acme.example"


def test_the_api_filters_as_the_page_does(world: World, log: Any, as_lena: Client) -> None:
    url = api_url(world)
    assert api_labels(as_lena.get(url, {"who": world.pat.pk})) == ["Joint webinar"]
    assert api_labels(as_lena.get(url, {"item": "partners.contact"})) == ["Gina Globex"]
    assert api_labels(as_lena.get(url, {"verb": "updated"})) == ["Joint webinar in March"]
    assert api_labels(as_lena.get(url, {"partnership": "program"})) == ["ivy@acme.example"]
    assert api_labels(as_lena.get(url, {"partnership": world.globex.pk})) == ["Gina Globex"]
    january = {"date_from": "2026-01-01", "date_to": "2026-01-10"}
    assert api_labels(as_lena.get(url, january)) == ["Gina Globex"]


def test_the_api_pages_the_log(world: World, log: Any, as_lena: Client) -> None:
    response = as_lena.get(api_url(world), {"page_size": 2, "page": 3})
    body = response.json()
    assert (body["count"], body["pages"], body["page"]) == (5, 3, 3)
    assert api_labels(response) == ["Gina Globex"]


@pytest.mark.parametrize(
    ("asked", "field"),
    [
        ({"date_from": "2026-02-30"}, "date_from"),
        ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, "date_to"),
        ({"who": "x"}, "who"),
        ({"partnership": "elsewhere"}, "partnership"),
    ],
)
def test_the_api_refuses_a_bad_filter_with_a_400(
    world: World, log: Any, as_lena: Client, asked: dict[str, str], field: str
) -> None:
    response = as_lena.get(api_url(world), asked)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["detail"].startswith("Check the filters:")
    assert list(problem["errors"]) == [field]


@pytest.mark.parametrize(("person", "status"), [("maria", 403), ("pat", 404), ("lee", 404)])
def test_nobody_but_owners_and_admins_reads_the_api(
    world: World, log: Any, person: str, status: int
) -> None:
    response = client_for(getattr(world, person)).get(api_url(world))
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    assert "Margin floor" not in response.content.decode()


def test_olga_cannot_read_acmes_audit(world: World, log: Any, as_olga: Client) -> None:
    assert as_olga.get(api_url(world)).status_code == 404
    assert as_olga.get(f"/api/workspaces/{world.initech.pk}/audit").status_code == 200


def test_the_operation_is_documented(world: World) -> None:
    from tandem.api.api import api

    operation = api.get_openapi_schema()["paths"]["/api/workspaces/{workspace_id}/audit"]["get"]
    assert operation["summary"] and operation["description"]
    assert operation["x-access"] == "admin"
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"who", "item", "verb", "partnership", "date_from", "date_to", "page"} <= names


def test_the_audit_is_never_a_partner_side_way_in(world: World, log: Any) -> None:
    """Pat sees the Northwind activity page (shared entries only) but never the audit."""
    pat = client_for(world.pat)
    activity = pat.get(f"/partnerships/{world.northwind.pk}/activity/").content.decode()
    assert "Joint webinar in March" in activity and "Margin floor" not in activity
    assert pat.get(AUDIT).status_code == 403
    assert pat.get(api_url(world)).status_code == 404
    assert actor_for(world.pat).is_admin(world.acme.pk) is False
