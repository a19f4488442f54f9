"""Each target, imported small: mapped, checked, written, counted — with the rules of the
item services (stages by name, ISO currencies, owners who may see the item)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tandem.core.access import Visibility
from tandem.core.models import ActivityEntry
from tandem.exchange.ledger.models import Direction, Entry
from tandem.exchange.pipeline.models import Opportunity, StageChange
from tandem.partners.models import Contact, Partnership
from tandem.scorecard.models import Entry as ScorecardEntry
from tandem.transfer.imports import services
from tandem.transfer.imports.models import Status
from tests.conftest import World
from tests.imports.conftest import imported, mapped

DEALS = (
    "Record ID,Deal Name,Domain,Amount,Close Date,Deal Stage,Deal owner\r\n"
    '101,Contoso renewal,contoso.com,"$1,200.00",2026-12-15,Qualified,maria@acme.example\r\n'
    '102,Fabrikam upsell,,"3.400,50 €",2027-01-20,won,\r\n'
)
DEAL_MAPPING = {
    "external_id": "Record ID",
    "account_name": "Deal Name",
    "account_domain": "Domain",
    "amount": "Amount",
    "expected_close": "Close Date",
    "stage": "Deal Stage",
    "owner": "Deal owner",
}


def test_maria_imports_opportunities_with_stages_amounts_and_owners(world: World) -> None:
    job = mapped(world, DEALS, DEAL_MAPPING, key=["external_id"])
    job = services.check(actor=world.actor(world.maria), job=job)
    assert (job.status, job.total_rows, job.valid_rows, job.error_count) == ("checked", 2, 2, 0)
    assert not Opportunity.objects.exists()  # the dry run writes nothing

    job = imported(world, job)
    assert (job.status, job.created_rows, job.updated_rows) == (Status.DONE, 2, 0)
    contoso, fabrikam = Opportunity.objects.order_by("account_name")
    assert (contoso.amount, contoso.currency, contoso.owner, contoso.stage.name) == (
        Decimal("1200.00"),
        "USD",
        world.maria,
        "Qualified",
    )
    assert contoso.account_key == "contoso.com"
    assert contoso.visibility == Visibility.INTERNAL  # imported items are internal by default
    assert contoso.partnership == world.northwind
    assert (fabrikam.amount, fabrikam.currency, fabrikam.stage.name) == (
        Decimal("3400.50"),
        "EUR",
        "Won",
    )
    assert fabrikam.closed_on == date(2027, 1, 20)
    assert StageChange.objects.filter(opportunity=contoso, to_stage=contoso.stage).exists()
    entry = ActivityEntry.objects.get(verb="imported")
    assert (entry.actor, entry.partnership, entry.visibility) == (
        world.maria,
        world.northwind,
        "internal",
    )


def test_maria_imports_ledger_entries(world: World) -> None:
    content = (
        "Date;What;Kind;Direction;Value;Currency;Visibility\n"
        "04/03/2026;Intro to Globex;Introduction;Given by the partner;1.500,00;EUR;shared\n"
        "05/03/2026;Webinar;event;ours;;;\n"
    )
    job = mapped(
        world,
        content,
        {
            "occurred_on": "Date",
            "title": "What",
            "kind": "Kind",
            "direction": "Direction",
            "amount": "Value",
            "currency": "Currency",
            "visibility": "Visibility",
        },
        target="ledger_entries",
        date_forms={"occurred_on": "eu"},
    )
    job = imported(world, job)
    assert job.status == Status.DONE, job.message
    intro, webinar = Entry.objects.order_by("occurred_on")
    assert (intro.occurred_on, intro.direction, intro.kind.name, intro.amount, intro.currency) == (
        date(2026, 3, 4),
        Direction.PARTNER,
        "Introduction",
        Decimal("1500.00"),
        "EUR",
    )
    assert intro.visibility == Visibility.SHARED
    assert (webinar.kind.name, webinar.direction, webinar.visibility) == (
        "Event",
        Direction.OURS,
        Visibility.INTERNAL,
    )
    assert intro.logged_by_side == Direction.OURS


def test_maria_imports_scorecard_values_and_a_second_file_updates_them(world: World) -> None:
    content = "Measurable,Week,Value\nLeads referred,2026-03-04,7\nLeads referred,2026-03-09,3\n"
    mapping = {"measurable": "Measurable", "period_start": "Week", "value": "Value"}
    job = imported(world, mapped(world, content, mapping, target="scorecard_values"))
    assert job.status == Status.DONE, job.message
    values = ScorecardEntry.objects.filter(measurable=world.shared_measurable)
    # Any day of the week counts for its Monday.
    assert sorted(values.values_list("period_start", "value")) == [
        (date(2026, 3, 2), Decimal("7")),
        (date(2026, 3, 9), Decimal("3")),
    ]
    again = "Measurable,Week,Value\nleads referred,2026-03-02,9\n"
    job = imported(world, mapped(world, again, mapping, target="scorecard_values"))
    assert (job.created_rows, job.updated_rows) == (0, 1)
    assert values.get(period_start=date(2026, 3, 2)).value == Decimal("9")


def test_lena_imports_partnerships_at_the_program_level(world: World) -> None:
    content = (
        "Company,Website,Type,Owner\n"
        "Contoso,contoso.com,Reseller,maria@acme.example\n"
        "Northwind,,Technology,\n"
    )
    job = mapped(
        world,
        content,
        {"name": "Company", "website": "Website", "kind": "Type", "owner": "Owner"},
        target="partnerships",
        key=["name"],
        partnership=None,
    )
    assert job.partnership is None
    job = imported(world, job)
    assert (job.status, job.created_rows, job.updated_rows) == (Status.DONE, 1, 1), job.message
    contoso = Partnership.objects.get(name="Contoso")
    assert (contoso.workspace, contoso.website, contoso.kind, contoso.owner) == (
        world.acme,
        "https://contoso.com",
        "reseller",
        world.maria,
    )
    assert contoso.stage_changes.count() == 1
    world.northwind.refresh_from_db()
    assert world.northwind.kind == "technology"


def test_maria_imports_contacts_and_pat_may_not_own_an_internal_one(world: World) -> None:
    content = (
        "Name,Email,Title\nAnn Smith,ann@northwind.example,CFO\nBob Jones,bob@northwind.example,\n"
    )
    job = mapped(
        world,
        content,
        {"name": "Name", "email": "Email", "title": "Title"},
        target="contacts",
        key=["email"],
    )
    job = imported(world, job)
    assert (job.status, job.created_rows) == (Status.DONE, 2)
    ann = Contact.objects.get(email="ann@northwind.example")
    assert (ann.name, ann.title, ann.visibility) == ("Ann Smith", "CFO", Visibility.INTERNAL)
