"""Creating, editing and reading a partnership, from either side."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.core.access import Visibility
from tandem.core.models import ActivityEntry
from tandem.partners.models import Contact, Note, Partnership
from tests.conftest import World
from tests.factories import ContactFactory, NoteFactory

VALID = {
    "name": "Contoso",
    "kind": "reseller",
    "horizon": "strategic",
    "stage": "prospect",
    "cadence": "weekly",
    "hours_per_week": "3.5",
}


def test_maria_creates_a_partnership(world: World, as_maria) -> None:
    response = as_maria.post(
        "/partnerships/new/", {**VALID, "owner": world.maria.pk, "sponsor": world.lena.pk}
    )
    contoso = Partnership.objects.get(name="Contoso")
    assert response.status_code == 302 and response["Location"] == f"/partnerships/{contoso.pk}/"
    assert contoso.workspace == world.acme and contoso.owner == world.maria
    assert contoso.stage_changes.get().to_stage == "prospect"
    assert ActivityEntry.objects.filter(target_id=contoso.pk, verb="created").exists()


def test_invalid_partnership_shows_field_messages_and_saves_nothing(world: World, as_maria) -> None:
    before = Partnership.objects.count()
    response = as_maria.post(
        "/partnerships/new/",
        {
            **VALID,
            "name": "",
            "kind": "bogus",
            "hours_per_week": "200",
            "website": "not a url",
            "owner": world.olga.pk,  # not a member of Acme
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"name", "kind", "hours_per_week", "website", "owner"}
    assert "This field is required." in response.content.decode()
    assert Partnership.objects.count() == before


def test_oversized_fields_are_refused(world: World, as_maria) -> None:
    response = as_maria.post("/partnerships/new/", {**VALID, "name": "x" * 5000})
    assert response.status_code == 200
    assert "at most 120 characters" in response.content.decode()


def test_editing_records_stage_history(world: World, as_maria) -> None:
    data = {**VALID, "name": "Northwind", "stage": "paused", "version": 1}
    assert as_maria.post(f"/partnerships/{world.northwind.pk}/edit/", data).status_code == 302
    history = list(world.northwind.stage_changes.values_list("from_stage", "to_stage"))
    assert history == [("active", "paused")]


def test_pat_sees_only_shared_items(world: World, as_pat) -> None:
    page = as_pat.get(f"/partnerships/{world.northwind.pk}/").content.decode()
    assert "Joint pipeline plan" in page and "Pat Northwind" in page
    assert "Margin we can accept" not in page
    assert "Their CFO" not in page
    assert "Partner-side access" not in page  # the workspace's own tools
    assert "Hours per week" not in page


def test_pat_adds_a_note_which_is_always_shared(world: World, as_pat, as_maria) -> None:
    url = f"/partnerships/{world.northwind.pk}/notes/new/"
    form = as_pat.get(url)
    assert "visibility" not in form.context["form"].fields
    response = as_pat.post(url, {"title": "Webinar idea", "visibility": "internal"})
    assert response.status_code == 302
    note = Note.objects.get(title="Webinar idea")
    assert note.visibility == Visibility.SHARED and note.created_by == world.pat
    assert "Webinar idea" in as_maria.get(f"/partnerships/{world.northwind.pk}/").content.decode()


def test_pat_cannot_reach_an_internal_note_by_its_id(world: World, as_pat) -> None:
    note = world.internal_note
    url = f"/partnerships/{world.northwind.pk}/notes/{note.pk}/edit/"
    assert as_pat.get(url).status_code == 404
    assert as_pat.post(url, {"title": "x", "version": 1}).status_code == 404
    note.refresh_from_db()
    assert note.title == "Margin we can accept"


def test_api_refuses_partner_side_internal_items(world: World, client) -> None:
    from tandem.accounts.services import token_create

    secret = token_create(user=world.pat, name="t")[1]
    response = client.post(
        f"/api/partnerships/{world.northwind.pk}/contacts",
        {"name": "Secret", "visibility": "internal"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 400
    assert response.json()["errors"]["visibility"]
    assert not Contact.objects.filter(name="Secret").exists()


def test_archived_partnership_is_read_only(world: World, as_maria) -> None:
    as_maria.post(f"/partnerships/{world.northwind.pk}/archive/", {"version": 1})
    response = as_maria.post(f"/partnerships/{world.northwind.pk}/notes/new/", {"title": "Late"})
    assert response.status_code == 200
    assert "archived" in response.content.decode()
    assert not Note.objects.filter(title="Late").exists()


def test_detail_page_query_count_does_not_grow(world: World, as_maria) -> None:
    url = f"/partnerships/{world.northwind.pk}/"

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert as_maria.get(url).status_code == 200
        return len(captured)

    few = count()
    NoteFactory.create_batch(40, partnership=world.northwind, created_by=world.maria)
    ContactFactory.create_batch(40, partnership=world.northwind)
    assert count() == few


def test_deleting_a_note_asks_first(world: World, as_maria) -> None:
    url = f"/partnerships/{world.northwind.pk}/notes/{world.shared_note.pk}/delete/"
    confirm = as_maria.get(url)
    assert "can't be undone" in confirm.content.decode()
    assert Note.objects.filter(pk=world.shared_note.pk).exists()
    assert as_maria.post(url, {"version": 1}).status_code == 302
    assert not Note.objects.filter(pk=world.shared_note.pk).exists()
    assert ActivityEntry.objects.filter(target_id=world.shared_note.pk, verb="deleted").exists()


def test_note_markdown_is_rendered_and_sanitised(world: World, as_maria, as_pat) -> None:
    hostile = "**Bold plan** <script>alert(1)</script> [click](javascript:alert(2))"
    as_maria.post(
        f"/partnerships/{world.northwind.pk}/notes/new/",
        {"title": "Plan", "body": hostile, "visibility": "shared"},
    )
    note = Note.objects.get(title="Plan")
    page = as_pat.get(f"/partnerships/{world.northwind.pk}/").content.decode()
    assert "<strong>Bold plan</strong>" in page
    # Both show as the text that was typed, never as a script or a link.
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page
    as_maria.post(
        f"/partnerships/{world.northwind.pk}/notes/{note.pk}/edit/",
        {"title": "Plan", "body": "*Changed*", "visibility": "shared", "version": 1},
    )
    page = as_pat.get(f"/partnerships/{world.northwind.pk}/").content.decode()
    assert "<em>Changed</em>" in page and "<strong>Bold plan</strong>" not in page
