"""Values and alignment (seed 004): the program's values, each partner's stated values beside
them, which are shared; company goals and the program goals that serve them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.errors import InvalidInput
from tandem.core.scope import Program
from tandem.vision import services
from tandem.vision.models import CompanyGoal, Goal, Value
from tandem.vision.values import services as values_services
from tests.conftest import World, client_for


def _program_value(world: World, name: str = "Candour") -> Value:
    return values_services.value_create(
        actor=world.actor(world.lena), partnership=Program(world.acme), name=name
    )


def test_a_partnership_without_shared_values_is_flagged_until_one_matches(
    world: World, as_pat
) -> None:
    candour = _program_value(world)
    url = f"/partnerships/{world.northwind.pk}/values/"
    page = as_pat.get(url).content.decode()
    assert "Candour" in page  # the program's values, shown to the partner
    assert "No shared values yet" in page

    response = as_pat.post(f"{url}new/", {"name": "Straight talk", "meaning": "Say it plainly"})
    assert response.status_code == 302
    page = as_pat.get(url).content.decode()
    # Pat's "ours" would be Northwind's: Acme's values are named as Acme's.
    assert "Matches none of Acme Analytics&#x27;s" in page and "No shared values." in page

    value = Value.objects.get(name="Straight talk")
    assert value.visibility == Visibility.SHARED and value.created_by == world.pat
    response = as_pat.post(
        f"{url}{value.pk}/edit/",
        {"version": value.version, "name": "Straight talk", "matches_field": candour.pk},
    )
    assert response.status_code == 302
    page = as_pat.get(url).content.decode()
    assert "Shared values: <strong>Candour</strong>" in page
    assert 'id="alignment-flag"' not in page


def test_the_partner_never_sees_internal_values_nor_adds_them(world: World, as_pat) -> None:
    maria = world.actor(world.maria)
    values_services.value_create(
        actor=maria, partnership=world.northwind, name="Cheap", visibility=Visibility.INTERNAL
    )
    url = f"/partnerships/{world.northwind.pk}/values/"
    assert "Cheap" not in as_pat.get(url).content.decode()
    assert "Cheap" in client_for(world.maria).get(url).content.decode()

    response = as_pat.post(f"{url}new/", {"name": "Secret", "visibility": "internal"})
    # Partner-side people get no visibility choice: what they add is shared.
    assert response.status_code == 302
    assert Value.objects.get(name="Secret").visibility == Visibility.SHARED
    api = client_for(None)
    secret = token_create(user=world.pat, name="t")[1]
    response = api.post(
        f"/api/partnerships/{world.northwind.pk}/values",
        data={"name": "Hidden", "visibility": "internal"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 400
    assert not Value.objects.filter(name="Hidden").exists()


def test_bad_values_are_refused_with_a_reason(world: World, as_maria) -> None:
    url = f"/partnerships/{world.northwind.pk}/values/new/"
    response = as_maria.post(url, {"name": "  "})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    as_maria.post(url, {"name": "Speed", "visibility": "shared"})
    response = as_maria.post(url, {"name": "speed", "visibility": "shared"})
    assert response.status_code == 400 and "already on this list" in response.content.decode()
    # A value of another partnership is not one of the program's values.
    other = Value.objects.get(name="Speed")
    with pytest.raises(InvalidInput):
        values_services.value_create(
            actor=world.actor(world.maria),
            partnership=world.northwind,
            name="Quality",
            matches=other,
        )
    assert Value.objects.filter(partnership=world.northwind).count() == 1


def test_a_stale_edit_is_reported_not_saved(world: World, as_maria, as_pat) -> None:
    value = values_services.value_create(
        actor=world.actor(world.pat), partnership=world.northwind, name="Speed"
    )
    url = f"/partnerships/{world.northwind.pk}/values/{value.pk}/edit/"
    assert as_pat.post(url, {"version": 1, "name": "Pace"}).status_code == 302
    response = as_maria.post(url, {"version": 1, "name": "Velocity", "visibility": "shared"})
    assert response.status_code == 400
    assert "Someone else saved a change" in response.content.decode()
    value.refresh_from_db()
    assert value.name == "Pace"


def test_program_goals_serve_company_goals(world: World, as_lena) -> None:
    response = as_lena.post(
        "/workspace/company-goals/new/", {"title": "Grow retention", "target": "115% NRR"}
    )
    assert response.status_code == 302
    company_goal = CompanyGoal.objects.get(title="Grow retention")
    page = as_lena.get("/partnerships/program/values/").content.decode()
    assert "Nothing in the program serves this yet" in page

    response = as_lena.post(
        "/partnerships/program/goals/new/",
        {
            "title": "Partner integrations",
            "target": "40% of new logos",
            "horizon": "1y",
            "due_on": "2027-11-30",
            "company_goal": company_goal.pk,
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get(title="Partner integrations")
    assert goal.company_goal == company_goal
    page = as_lena.get("/partnerships/program/values/").content.decode()
    assert "Nothing in the program serves this yet" not in page
    assert "Partner integrations" in page
    # A partnership's goal serves the partnership; only program goals link to company goals.
    with pytest.raises(InvalidInput):
        services.goal_create(
            actor=world.actor(world.lena),
            partnership=world.northwind,
            title="Joint",
            target="1",
            company_goal=company_goal,
        )


def test_the_alignment_table_flags_partnerships_without_shared_values(
    world: World, as_maria
) -> None:
    candour = _program_value(world)
    maria = world.actor(world.maria)
    values_services.value_create(
        actor=maria, partnership=world.northwind, name="Plain talk", matches=candour
    )
    values_services.value_create(actor=maria, partnership=world.globex, name="Speed")
    page = as_maria.get("/partnerships/program/values/").content.decode()
    rows = {
        name: page.split(f">{name}</a>")[1].split("</tr>")[0]
        for name in (world.northwind.name, world.globex.name)
    }
    assert "Aligned" in rows[world.northwind.name]
    assert "No shared values" in rows[world.globex.name]


def test_values_and_company_goals_through_the_api(world: World) -> None:
    candour = _program_value(world)
    api = client_for(None)
    pat = {"Authorization": f"Bearer {token_create(user=world.pat, name='t')[1]}"}
    lena = {"Authorization": f"Bearer {token_create(user=world.lena, name='t')[1]}"}
    base = f"/api/partnerships/{world.northwind.pk}"
    created = api.post(
        f"{base}/values",
        data={"name": "Plain talk", "matches_id": candour.pk},
        content_type="application/json",
        headers=pat,
    )
    assert created.status_code == 201
    alignment = api.get(f"{base}/alignment", headers=pat).json()
    assert alignment["aligned"] is True and alignment["shared"] == ["Candour"]
    stale = api.patch(
        f"{base}/values/{created.json()['id']}",
        data={"version": 7, "name": "Candid"},
        content_type="application/json",
        headers=pat,
    )
    assert stale.status_code == 409
    bad = api.post(
        f"{base}/values",
        data={"name": "X", "matches_id": 999999},
        content_type="application/json",
        headers=pat,
    )
    assert bad.status_code == 400 and "matches_id" in bad.json()["errors"]

    goals = f"/api/workspaces/{world.acme.pk}/company-goals"
    assert api.get(goals, headers=pat).status_code == 404
    made = api.post(
        goals, data={"title": "Grow retention"}, content_type="application/json", headers=lena
    )
    assert made.status_code == 201
    assert [g["title"] for g in api.get(goals, headers=lena).json()] == ["Grow retention"]


def test_values_pages_cost_the_same_with_more_values(world: World, as_maria) -> None:
    lena = world.actor(world.lena)
    program = Program(world.acme)

    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            ours = values_services.value_create(actor=lena, partnership=program, name=f"V{n}")
            values_services.value_create(
                actor=lena, partnership=world.northwind, name=f"P{n}", matches=ours
            )
            values_services.value_create(actor=lena, partnership=world.globex, name=f"G{n}")
            company_goal = values_services.company_goal_create(
                actor=lena, program=program, title=f"C{n}"
            )
            services.goal_create(
                actor=lena, partnership=program, title=f"G{n}", target="1",
                company_goal=company_goal,
            )  # fmt: skip

    def cost(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_maria.get(url).status_code == 200
        return len(queries)

    pages = ["/partnerships/program/values/", f"/partnerships/{world.northwind.pk}/values/"]
    add(2, 0)
    small = [cost(url) for url in pages]
    add(25, 2)
    assert [cost(url) for url in pages] == small


def test_the_partner_learns_nothing_of_internal_values_from_a_duplicate(
    world: World, as_pat
) -> None:
    values_services.value_create(
        actor=world.actor(world.maria),
        partnership=world.northwind,
        name="Takeover plan",
        visibility=Visibility.INTERNAL,
    )
    response = as_pat.post(
        f"/partnerships/{world.northwind.pk}/values/new/", {"name": "takeover plan"}
    )
    assert response.status_code == 302  # not "already on this list"


def test_the_overview_follows_a_renamed_program_value(world: World, as_maria) -> None:
    ours = _program_value(world, "Candour")
    values_services.value_create(
        actor=world.actor(world.pat), partnership=world.northwind, name="Plain", matches=ours
    )
    url = f"/partnerships/{world.northwind.pk}/"
    assert "Candour" in as_maria.get(url).content.decode()
    assert "Candour" in as_maria.get(url).content.decode()  # now from the page cache
    values_services.value_update(
        ours, actor=world.actor(world.lena), version=ours.version, name="Openness"
    )
    page = as_maria.get(url).content.decode()
    assert "Openness" in page and "Candour" not in page


def test_the_alignment_table_shows_25_partnerships_a_page_and_flags_them_all(
    world: World, as_maria
) -> None:
    """A program of many partnerships: the values alignment table pages by 25, and the flag
    above it still counts every partnership without shared values."""
    from tandem.partners.models import Partnership
    from tandem.vision.values.views import ALIGNMENT_PAGE

    Partnership.objects.bulk_create(
        Partnership(workspace=world.acme, name=f"Partner {n:02}") for n in range(30)
    )
    first = as_maria.get("/partnerships/program/values/")
    total = first.context["alignment_page"].paginator.count
    assert total > ALIGNMENT_PAGE and len(first.context["alignment_rows"]) == ALIGNMENT_PAGE
    # Northwind and Globex state no values either: all 32 are flagged, 25 of them shown.
    assert "32 partnerships with no shared values" in first.content.decode()
    assert first.context["unaligned"] == total == 32
    second = as_maria.get("/partnerships/program/values/?page=2")
    assert len(second.context["alignment_rows"]) == total - ALIGNMENT_PAGE


def test_the_alignment_flag_and_table_agree_with_each_partnerships_values(
    world: World, as_maria
) -> None:
    """Counted in the database for a page of partnerships, the table and the flag say what
    each partnership's own values say; an archived or ended partnership is left out; the
    page costs the same queries with 40 partnerships as with 80."""
    from tandem.partners.models import Partnership, Stage

    candour = _program_value(world)
    speed = _program_value(world, "Speed")

    def add(count: int, start: int) -> None:
        made = Partnership.objects.bulk_create(
            Partnership(workspace=world.acme, name=f"Partner {start + n:03}") for n in range(count)
        )
        values = []
        for n, partnership in enumerate(made):
            if n % 3 == 0:  # both program values, stated twice over
                values += [
                    Value(
                        workspace=world.acme, partnership=partnership, name="Open", matches=candour
                    ),
                    Value(
                        workspace=world.acme, partnership=partnership, name="Frank", matches=candour
                    ),
                    Value(
                        workspace=world.acme, partnership=partnership, name="Fast", matches=speed
                    ),
                ]
            elif n % 3 == 1:  # a value of their own, matching none of ours
                values.append(Value(workspace=world.acme, partnership=partnership, name="Quiet"))
        Value.objects.bulk_create(values)
        Partnership.objects.filter(pk=made[1].pk).update(archived_at=timezone.now())
        Partnership.objects.filter(pk=made[4].pk).update(stage=Stage.ENDED)

    def expected() -> tuple[int, dict[str, tuple[int, int]]]:
        current = Partnership.objects.filter(
            workspace=world.acme, archived_at__isnull=True
        ).exclude(stage=Stage.ENDED)
        rows = {}
        for partnership in current:
            stated = list(Value.objects.filter(partnership=partnership))
            shared = {v.matches_id for v in stated if v.matches and not v.matches.partnership_id}
            rows[partnership.name] = (len(stated), len(shared))
        return sum(1 for _, shared in rows.values() if not shared), rows

    def read(page: int = 1) -> tuple[int, list[tuple[str, tuple[int, int]]], int]:
        with CaptureQueriesContext(connection) as queries:
            response = as_maria.get(f"/partnerships/program/values/?page={page}")
        table = [
            (row["partnership"].name, (row["stated"], row["shared"]))
            for row in response.context["alignment_rows"]
        ]
        return response.context["unaligned"], table, len(queries)

    add(40, 0)
    flagged, rows = expected()
    unaligned, first, queries_at_40 = read()
    assert unaligned == flagged
    assert first == [(name, rows[name]) for name in sorted(rows)[:25]]  # in this order
    assert {"Partner 001", "Partner 004"}.isdisjoint(rows)  # archived, ended
    assert (
        f"{flagged} partnerships with no shared values"
        in as_maria.get("/partnerships/program/values/").content.decode()
    )
    _, second, _ = read(2)
    assert second == [(name, rows[name]) for name in sorted(rows)[25:50]]

    add(40, 100)
    flagged, rows = expected()
    unaligned, first, queries_at_80 = read()
    assert unaligned == flagged and first == [(name, rows[name]) for name in sorted(rows)[:25]]
    assert queries_at_80 == queries_at_40
