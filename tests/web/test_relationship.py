"""The relationship at a glance on a partnership's overview: one line per component, flagged
when it needs attention, with each reader's own figures."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.core.access import Visibility
from tandem.core.scope import Program
from tandem.relationship.asks.services import ask_create
from tandem.relationship.checkins.services import checkin_create
from tandem.relationship.commitments.services import commitment_create, commitment_review
from tandem.relationship.people.services import seat_create
from tandem.vision.values import services as values_services
from tests.conftest import World
from tests.factories import PartnerAccessFactory, PartnershipFactory


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
    world: World, as_maria, as_pat
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


def test_the_overview_costs_the_same_with_more_relationship_items(world: World, as_maria) -> None:
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


def _card(client, partnership) -> dict[str, str]:
    """The overview's relationship card as {label: the line's HTML, unescaped}."""
    page = client.get(f"/partnerships/{partnership.pk}/").content.decode()
    card = page[
        page.index('id="relationship"') : page.index("</section>", page.index('id="relationship"'))
    ]
    lines = {}
    for item in card.split("<li")[1:]:
        label = item[item.index('class="signal-label">') + 21 : item.index("</a>")]
        lines[label] = html.unescape(item)
    return lines


def test_each_line_of_an_empty_partnership_agrees_with_its_page(
    world: World, as_maria, as_pat
) -> None:
    """No sponsor, no owner, no partner-side seats, nothing else: the card must not say
    "all seats set" in green beside a People page of empty seats, nor any line disagree
    with the page it links to."""
    contoso = PartnershipFactory(workspace=world.acme, name="Contoso Retail")
    PartnerAccessFactory(partnership=contoso, user=world.pat)
    base = f"/partnerships/{contoso.pk}"

    def page(client, path: str) -> str:
        response = client.get(f"{base}/{path}/")
        assert response.status_code == 200
        return html.unescape(response.content.decode())

    for client, theirs in (
        (as_maria, "No seats on Contoso Retail's side yet"),
        (as_pat, "No seats on your side yet"),
    ):
        card = _card(client, contoso)
        assert set(card) == {
            "People",
            "Values",
            "Commitments kept",
            "Communication plan",
            "Asks",
            "The Way",
            "Check-ins",
        }
        people = page(client, "people")
        assert "is-flagged" in card["People"] and "all seats set" not in card["People"]
        assert theirs in card["People"] and theirs in people
        # Every warning the card gives, the People page gives too.
        callout = people.split("seat-warnings", 1)[1].split("</section>", 1)[0]
        warnings = re.findall(r"<li>(.*?)</li>", callout)
        assert warnings and all(warning in card["People"] for warning in warnings)

        values = page(client, "values")
        assert "is-flagged" in card["Values"] and "0 shared" in card["Values"]
        assert "No shared values yet" in values

        commitments = page(client, "commitments")
        assert "is-flagged" in card["Commitments kept"]
        assert "— Acme Analytics · — Contoso Retail" in card["Commitments kept"]
        assert commitments.count("Nothing reviewed yet.") == 2

        plan = page(client, "communication")
        assert "is-flagged" in card["Communication plan"]
        assert "No planned touches yet" in card["Communication plan"]
        assert "No communication planned yet" in plan

        asks = page(client, "asks")
        assert "is-ok" in card["Asks"] and "0 open" in card["Asks"]
        assert asks.count(" open</dd>") == 2 and "overdue" not in asks

        way = page(client, "way")
        assert "is-flagged" in card["The Way"] and "— followed" in card["The Way"]
        assert "of the Way followed" not in way

        checkins = page(client, "checkins")
        assert "is-flagged" in card["Check-ins"] and "none yet" in card["Check-ins"]
        warnings = re.findall(
            r'checkin-warning">(.*?) ?(?:Plan the next one below\.)?</div>', checkins
        )
        assert warnings and all(warning in card["Check-ins"] for warning in warnings)

    # Maria (a member) is also told the fixed seats are empty, as the People page shows them.
    card = _card(as_maria, contoso)
    assert "No executive sponsor is named" in card["People"]
    assert "Not named yet" in page(as_maria, "people")


def test_the_people_line_turns_green_when_the_page_has_no_gaps(world: World, as_maria) -> None:
    contoso = PartnershipFactory(
        workspace=world.acme, name="Contoso Retail", owner=world.maria, sponsor=world.lena
    )
    PartnerAccessFactory(partnership=contoso, user=world.pat)
    seat_create(
        actor=world.actor(world.maria),
        partnership=contoso,
        side="partner",
        role="Partner champion",
        user=world.pat,
    )
    card = _card(as_maria, contoso)
    assert "is-ok" in card["People"] and "all seats set" in card["People"]
    people = as_maria.get(f"/partnerships/{contoso.pk}/people/").content.decode()
    assert "seat-warnings" not in people
