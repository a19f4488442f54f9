"""The relationship at a glance on a partnership's overview: one line per component, flagged
when it needs attention, with each reader's own figures."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.asks.services import ask_create
from tandem.checkins.services import checkin_create
from tandem.commitments.services import commitment_create, commitment_review
from tandem.core.access import Visibility
from tandem.partners.scope import Program
from tandem.vision import values_services
from tests.conftest import World


def _signal(page: str, label: str) -> str:
    """The list item of one signal, as HTML."""
    start = page.index(f">{label}</a>")
    return page[page.rindex("<li", 0, start) : page.index("</li>", start)]


def test_an_empty_relationship_is_flagged_where_to_act(world: World, as_maria) -> None:
    page = as_maria.get(f"/partnerships/{world.northwind.pk}/").content.decode()
    assert "is-flagged" in _signal(page, "Values")
    assert "No shared values yet" in _signal(page, "Values")
    assert "Nothing reviewed yet" in _signal(page, "Commitments kept")
    assert "No planned touches yet" in _signal(page, "Communication plan")
    assert "No monthly check-in held yet" in _signal(page, "Check-ins")
    assert f'href="/partnerships/{world.northwind.pk}/values/"' in page


def test_signals_turn_green_and_count_shared_items_only_for_the_partner(
    world: World, as_maria, as_pat, no_page_cache
) -> None:
    maria = world.actor(world.maria)
    ours = values_services.value_create(
        actor=world.actor(world.lena), partnership=Program(world.acme), name="Candour"
    )
    values_services.value_create(
        actor=world.actor(world.pat), partnership=world.northwind, name="Plain talk", matches=ours
    )
    today = timezone.localdate()
    checkin_create(
        actor=maria,
        partnership=world.northwind,
        title="Monthly",
        held_on=today - timedelta(days=3),
    )
    checkin_create(
        actor=maria,
        partnership=world.northwind,
        title="QBR",
        kind="quarterly",
        held_on=today - timedelta(days=20),
    )
    kept = commitment_create(
        actor=maria, partnership=world.northwind, description="Leads", target="5 a month"
    )
    commitment_review(kept, actor=maria, kept=True)
    missed = commitment_create(
        actor=maria,
        partnership=world.northwind,
        description="Discount",
        target="10%",
        visibility=Visibility.INTERNAL,
    )
    commitment_review(missed, actor=maria, kept=False)
    ask_create(
        actor=maria,
        partnership=world.northwind,
        title="Secret ask",
        needed_by=today - timedelta(days=2),
        visibility=Visibility.INTERNAL,
    )

    url = f"/partnerships/{world.northwind.pk}/"
    maria_page = as_maria.get(url).content.decode()
    pat_page = as_pat.get(url).content.decode()
    assert "is-ok" in _signal(maria_page, "Values") and "Candour" in _signal(maria_page, "Values")
    assert "is-ok" in _signal(maria_page, "Check-ins")
    # Maria's figures hold the internal missed commitment and the overdue internal ask …
    assert f"50% {world.acme.name}" in _signal(maria_page, "Commitments kept")
    assert "1 overdue" in _signal(maria_page, "Asks")
    # … Pat's count the shared ones only.
    assert f"100% {world.acme.name}" in _signal(pat_page, "Commitments kept")
    assert "0 open" in _signal(pat_page, "Asks") and "overdue" not in _signal(pat_page, "Asks")


def test_the_overview_costs_the_same_with_more_relationship_items(
    world: World, as_maria, no_page_cache
) -> None:
    maria = world.actor(world.maria)
    url = f"/partnerships/{world.northwind.pk}/"

    def add(count: int) -> None:
        for n in range(count):
            ask_create(actor=maria, partnership=world.northwind, title=f"Ask {n}")
            checkin_create(
                actor=maria,
                partnership=world.northwind,
                title=f"Check-in {n}",
                held_on=timezone.localdate() - timedelta(days=n),
            )
            commitment_create(
                actor=maria, partnership=world.northwind, description=f"C{n}", target="1"
            )

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_maria.get(url).status_code == 200
        return len(queries)

    add(2)
    small = cost()
    add(20)
    assert cost() == small
