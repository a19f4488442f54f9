"""The scorecard: measurables with goals, the 13-period grid, inline entry, formulas,
one-period goals — for both sides of a partnership, and at the program level."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.core.errors import Conflict, InvalidInput
from tandem.core.models import ActivityEntry
from tandem.core.scope import Program
from tandem.scorecard import selectors, services
from tandem.scorecard.models import Entry, Measurable, period_of, shift
from tests.conftest import World

HX = {"HTTP_HX_REQUEST": "true"}


def this_week() -> date:
    return period_of(timezone.localdate(), "weekly")


def weeks_ago(n: int) -> date:
    return shift(this_week(), "weekly", -n)


def url(world: World, suffix: str = "", scope: object = None) -> str:
    return f"/partnerships/{scope or world.northwind.pk}/scorecard/{suffix}"


def cell_url(world: World, measurable: Measurable, period: date) -> str:
    return url(world, f"{measurable.pk}/{period.isoformat()}/")


def add(world: World, title: str, **values: object) -> Measurable:
    actor = world.actor(values.pop("by", world.maria))  # type: ignore[arg-type]
    return services.measurable_create(
        actor=actor,
        partnership=values.pop("scope", world.northwind),
        title=title,
        **values,  # type: ignore[arg-type]
    )


def enter(world: World, measurable: Measurable, period: date, value: object) -> Entry:
    current = Entry.objects.filter(measurable=measurable, period_start=period).first()
    return services.value_set(
        measurable,
        actor=world.actor(world.maria),
        period_start=period,
        value=value,
        version=current.version if current else None,
    )


# --- Measurables --------------------------------------------------------------------------


def test_maria_adds_a_measurable_and_it_shows_on_the_grid(world: World, as_maria) -> None:
    response = as_maria.post(
        url(world, "new/"),
        {
            "title": "Joint meetings held",
            "owner": world.pat.pk,
            "frequency": "weekly",
            "unit": "number",
            "comparator": "gte",
            "goal": "2",
            "visibility": "shared",
        },
    )
    assert response.status_code == 302
    measurable = Measurable.objects.get(title="Joint meetings held")
    assert (measurable.owner, measurable.goal, measurable.aggregate) == (world.pat, 2, "total")
    page = as_maria.get(url(world)).content.decode()
    assert "Joint meetings held" in page and "≥ 2" in page
    assert page.count('class="sc-cell') >= 13 * 3  # three measurables, 13 weeks each


def test_refusals_are_field_errors_not_500s(world: World, as_maria) -> None:
    base = {"title": "Revenue", "frequency": "weekly", "unit": "currency", "comparator": "gte"}
    cases = [
        ({"goal": "lots"}, "Enter an amount"),
        ({"comparator": "between", "goal": "10"}, "Enter the top of the range"),
        ({"comparator": "between", "goal": "10", "goal_high": "5"}, "at or above the bottom"),
        ({"currency": "U$D"}, "three-letter currency code"),
        ({"title": "Leads referred"}, "Another measurable of this scorecard has this name"),
        ({"formula": "{Nope} + 1"}, "Unknown measurable {Nope}"),
        ({"formula": "{Leads referred} +"}, "ends too early"),
        ({"formula": "{Margin kept} * 2"}, "internal: a shared measurable can only use shared"),
        ({"unit": "percent", "goal": "140"}, "between 0 and 100"),
    ]
    for extra, words in cases:
        response = as_maria.post(url(world, "new/"), {**base, "visibility": "shared", **extra})
        assert response.status_code == 400, extra
        assert words in response.content.decode(), extra
    assert Measurable.objects.count() == 2


def test_formulas_cannot_go_round_in_a_circle(world: World) -> None:
    a = world.shared_measurable
    b = add(world, "Deals won")
    ratio = add(world, "Win rate", unit="percent", formula="{Deals won} / {Leads referred} * 100")
    assert ratio.formula == f"{{#{b.pk}}} / {{#{a.pk}}} * 100"
    assert ratio.aggregate == "average"
    with pytest.raises(InvalidInput) as refused:
        services.measurable_update(
            b, actor=world.actor(world.maria), version=b.version, formula="{Win rate} * 2"
        )
    assert "circle" in refused.value.errors["formula"][0]
    with pytest.raises(InvalidInput, match="used in the formula of Win rate"):
        services.measurable_delete(a, actor=world.actor(world.maria), version=a.version)
    with pytest.raises(InvalidInput, match="stays shared"):
        services.measurable_update(
            a, actor=world.actor(world.maria), version=a.version, visibility="internal"
        )
    # Renaming keeps the formula working: it is stored with ids, shown with names.
    services.measurable_update(b, actor=world.actor(world.maria), version=1, title="Deals closed")
    assert services.formula_text(ratio) == "{Deals closed} / {Leads referred} * 100"


def test_edit_and_delete_with_confirmation(world: World, as_maria) -> None:
    measurable = world.shared_measurable
    page = as_maria.get(url(world, f"{measurable.pk}/edit/"))
    assert page.status_code == 200 and 'value="Leads referred"' in page.content.decode()
    response = as_maria.post(
        url(world, f"{measurable.pk}/edit/"),
        {"title": "Leads sent", "frequency": "weekly", "unit": "number", "comparator": "gte",
         "goal": "6", "visibility": "shared", "owner": world.pat.pk, "version": 1},
    )  # fmt: skip
    assert response.status_code == 302
    measurable.refresh_from_db()
    assert (measurable.title, measurable.goal, measurable.version) == ("Leads sent", 6, 2)
    stale = as_maria.post(
        url(world, f"{measurable.pk}/edit/"),
        {"title": "Leads", "frequency": "weekly", "unit": "number", "comparator": "gte",
         "visibility": "shared", "version": 1},
    )  # fmt: skip
    assert "Someone else saved a change" in stale.content.decode()
    assert as_maria.get(url(world, f"{measurable.pk}/delete/")).status_code == 200
    as_maria.post(url(world, f"{measurable.pk}/delete/"), {"version": 2})
    assert not Measurable.objects.filter(pk=measurable.pk).exists()


def test_measurables_move_up_and_down(world: World, as_maria) -> None:
    first = add(world, "First")
    second = add(world, "Second")
    as_maria.post(url(world, f"{second.pk}/move/"), {"direction": "up"})
    order = list(selectors.measurable_list(world.actor(world.maria), world.northwind))
    assert order.index(second) < order.index(first)


# --- Values: inline entry -------------------------------------------------------------------


def test_entering_a_value_colours_the_cell_and_updates_the_total(world: World, as_pat) -> None:
    leads = world.shared_measurable  # goal: at least 5
    period = weeks_ago(1)
    editor = as_pat.get(cell_url(world, leads, period), **HX)
    assert editor.status_code == 200 and 'name="value"' in editor.content.decode()
    low = as_pat.post(cell_url(world, leads, period), {"value": "3", "version": ""}, **HX)
    assert low.status_code == 200
    html = low.content.decode()
    assert f'id="m-{leads.pk}"' in html and "sc-off" in html and ">3<" in html
    entry = Entry.objects.get(measurable=leads, period_start=period)
    high = as_pat.post(
        cell_url(world, leads, period), {"value": "8", "version": entry.version}, **HX
    )
    row = high.content.decode()
    cell = row[row.index(f'id="c-{leads.pk}-{period.isoformat()}"') :]
    assert cell[: cell.index("</td>")].count("sc-on") == 1
    assert ">8<small>total</small>" in row.replace("\n", "").replace(" ", "")
    assert Entry.objects.get(pk=entry.pk).value == 8


def test_a_bad_value_is_refused_in_the_cell(world: World, as_pat) -> None:
    period = weeks_ago(1)
    response = as_pat.post(
        cell_url(world, world.shared_measurable, period), {"value": "lots", "version": ""}, **HX
    )
    # In place (htmx), the refusal is the cell's editor with the reason, swapped as a 200
    # into the cell; without htmx it is a 400 page.
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#c-{world.shared_measurable.pk}-{period.isoformat()}"
    assert "Enter a number" in response.content.decode()
    assert 'value="lots"' in response.content.decode()
    assert not Entry.objects.exists()
    future = shift(this_week(), "weekly", 2)
    response = as_pat.post(cell_url(world, world.shared_measurable, future), {"value": "1"}, **HX)
    assert response["HX-Retarget"].startswith("#c-") and not Entry.objects.exists()
    plain = as_pat.post(cell_url(world, world.shared_measurable, period), {"value": "lots"})
    assert plain.status_code == 400 and "Enter a number" in plain.content.decode()


def test_clearing_a_value_makes_it_missing_never_zero(world: World, as_maria) -> None:
    leads = world.shared_measurable
    entry = enter(world, leads, weeks_ago(2), "4")
    as_maria.post(cell_url(world, leads, weeks_ago(2)), {"value": "", "version": entry.version})
    entry.refresh_from_db()
    assert entry.value is None
    row = selectors.row_for(world.actor(world.maria), world.northwind, leads)
    cell = next(c for c in row.cells if c.period_start == weeks_ago(2))
    assert (cell.shown, cell.status) == ("—", "missing")
    assert row.trailing.value is None and row.trailing.shown == "—"


def test_a_crossed_edit_is_reported_with_the_saved_value(world: World, as_maria, as_pat) -> None:
    leads = world.shared_measurable
    period = weeks_ago(1)
    as_pat.post(cell_url(world, leads, period), {"value": "6", "version": ""}, **HX)
    crossed = as_maria.post(cell_url(world, leads, period), {"value": "2", "version": ""}, **HX)
    assert crossed["HX-Retarget"] == f"#c-{leads.pk}-{period.isoformat()}"  # in the cell
    plain = as_maria.post(cell_url(world, leads, period), {"value": "2", "version": ""})
    assert plain.status_code == 409
    assert "Someone else saved 6 meanwhile" in crossed.content.decode()
    assert Entry.objects.get(measurable=leads, period_start=period).value == 6
    with pytest.raises(Conflict):
        services.value_set(
            leads, actor=world.actor(world.maria), period_start=period, value="1", version=7
        )


def test_without_javascript_the_cell_is_a_small_page(world: World, as_maria) -> None:
    leads = world.shared_measurable
    page = as_maria.get(cell_url(world, leads, weeks_ago(1)))
    assert page.status_code == 200 and "<html" in page.content.decode()
    saved = as_maria.post(cell_url(world, leads, weeks_ago(1)), {"value": "1,5"})
    assert saved.status_code == 302
    assert Entry.objects.get(measurable=leads).value == 15  # "1,5": a thousands separator


def test_each_unit_is_entered_and_shown_in_its_own_way(world: World) -> None:
    cases = [
        ("Portal updated", "yesno", "eq", "yes", "no", "No", "off"),
        ("Enablement", "duration", "between", "2", "1:30", "1:30", "off"),
        ("Pipeline", "currency", "gte", "25000", "$30,000", "$30,000", "on"),
        ("Attach rate", "percent", "lte", "40", "35%", "35%", "on"),
    ]
    for title, unit, comparator, goal, typed, shown, status in cases:
        high = "4" if comparator == "between" else None
        m = add(world, title, unit=unit, comparator=comparator, goal=goal, goal_high=high)
        enter(world, m, weeks_ago(1), typed)
        row = selectors.row_for(world.actor(world.maria), world.northwind, m)
        cell = next(c for c in row.cells if c.period_start == weeks_ago(1))
        assert (cell.shown, cell.status) == (shown, status), title


# --- Formulas, one-period goals, totals -----------------------------------------------------


def test_formula_values_are_computed_and_never_entered(world: World, as_maria) -> None:
    leads = world.shared_measurable
    won = add(world, "Deals won")
    rate = add(
        world, "Win rate", unit="percent", goal="20", formula="{Deals won}/{Leads referred}*100"
    )
    enter(world, leads, weeks_ago(1), "8")
    enter(world, won, weeks_ago(1), "2")
    enter(world, leads, weeks_ago(2), "0")
    enter(world, won, weeks_ago(2), "0")
    enter(world, won, weeks_ago(3), "1")  # leads missing
    row = selectors.row_for(world.actor(world.maria), world.northwind, rate)
    cells = {c.period_start: c for c in row.cells}
    assert (cells[weeks_ago(1)].shown, cells[weeks_ago(1)].status) == ("25%", "on")
    assert cells[weeks_ago(2)].shown == "—"  # 0 / 0: missing, not zero
    assert cells[weeks_ago(3)].shown == "—"
    refused = as_maria.post(cell_url(world, rate, weeks_ago(1)), {"value": "30"})
    assert refused.status_code == 400
    assert "enter the values it uses instead" in refused.content.decode()
    # Entering a value that a formula uses also sends the formula's row (out of band).
    version = Entry.objects.get(measurable=won, period_start=weeks_ago(1)).version
    response = as_maria.post(
        cell_url(world, won, weeks_ago(1)), {"value": "4", "version": version}, **HX
    )
    html = response.content.decode()
    assert f'id="m-{rate.pk}" hx-swap-oob="true"' in html and "50%" in html


def test_a_goal_for_one_period_colours_that_cell_and_shows_its_note(world: World, as_maria) -> None:
    leads = world.shared_measurable  # at least 5
    period = weeks_ago(3)
    enter(world, leads, period, "3")
    page = url(world, f"{leads.pk}/{period.isoformat()}/goal/")
    assert as_maria.get(page).status_code == 200
    missing_note = as_maria.post(page, {"goal": "2", "version": 1})
    assert missing_note.status_code == 400 and "why this period" in missing_note.content.decode()
    saved = as_maria.post(page, {"goal": "2", "goal_note": "Holiday week", "version": 1})
    assert saved.status_code == 302
    row = selectors.row_for(world.actor(world.maria), world.northwind, leads)
    cell = next(c for c in row.cells if c.period_start == period)
    assert (cell.status, cell.temporary, cell.goal_note) == ("on", True, "Holiday week")
    grid = as_maria.get(url(world)).content.decode()
    assert "◆" in grid and "this period only: Holiday week" in grid
    as_maria.post(page, {"goal": "", "version": 2})
    row = selectors.row_for(world.actor(world.maria), world.northwind, leads)
    assert next(c for c in row.cells if c.period_start == period).status == "off"


def test_totals_averages_quarter_and_year(world: World) -> None:
    leads = world.shared_measurable
    margin = world.internal_measurable  # percent, average, at least 25
    for weeks, number in ((1, "6"), (2, "4"), (4, "5")):
        enter(world, leads, weeks_ago(weeks), number)
        enter(world, margin, weeks_ago(weeks), str(int(number) * 5))
    actor = world.actor(world.maria)
    row = selectors.row_for(actor, world.northwind, leads)
    assert row.trailing.value == 15 and row.trailing.shown == "15"
    assert row.trailing.status == "off"  # 15 against the 4 weeks tracked × 5
    averaged = selectors.row_for(actor, world.northwind, margin)
    assert averaged.trailing.value == 25 and averaged.trailing.status == "on"
    assert averaged.quarter.value is not None and averaged.year.value is not None
    old = selectors.row_for(actor, world.northwind, leads, end=weeks_ago(30))
    assert old.trailing.value is None


def test_monthly_measurables_have_their_own_columns(world: World, as_maria) -> None:
    revenue = add(world, "Partner revenue", unit="currency", frequency="monthly", goal="50000")
    month = shift(period_of(timezone.localdate(), "monthly"), "monthly", -1)
    enter(world, revenue, month, "60,000")
    # A day that starts no month (a week's Tuesday, as it was, is the 1st on some days).
    with pytest.raises(InvalidInput):
        enter(world, revenue, month + timedelta(days=7), "1")
    page = as_maria.get(url(world)).content.decode()
    assert "Monthly" in page and "$60,000" in page


# --- Who sees what --------------------------------------------------------------------------


def test_pat_sees_and_fills_shared_measurables_only(world: World, as_pat) -> None:
    page = as_pat.get(url(world)).content.decode()
    assert "Leads referred" in page and "Margin check" not in page
    hidden = as_pat.post(cell_url(world, world.internal_measurable, weeks_ago(1)), {"value": "1"})
    assert hidden.status_code == 404
    response = as_pat.post(
        url(world, "new/"),
        {"title": "Demos given", "frequency": "weekly", "unit": "number", "comparator": "gte",
         "visibility": "internal"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Measurable.objects.get(title="Demos given").visibility == "shared"
    assert as_pat.get(url(world, scope="program")).status_code == 404


def test_the_program_level_scorecard_is_for_members(world: World, as_maria, as_pat) -> None:
    program = Program(world.acme)
    revenue = add(world, "Partner-sourced revenue", scope=program, unit="currency", goal="1000")
    assert revenue.partnership_id is None
    enter(world, revenue, weeks_ago(1), "1500")
    page = as_maria.get(url(world, scope="program"))
    assert page.status_code == 200 and "$1,500" in page.content.decode()
    assert "Leads referred" not in page.content.decode()  # Northwind's, not the program's
    assert as_maria.get(url(world, f"{revenue.pk}/edit/", scope="program")).status_code == 200
    assert as_maria.get(url(world, f"{revenue.pk}/edit/")).status_code == 404
    with pytest.raises(InvalidInput):  # Pat cannot own a program measurable
        add(world, "Pat's number", scope=program, owner=world.pat)
    fill = selectors.measurables_to_fill(world.actor(world.maria), world.maria)
    assert revenue not in fill  # filled for last week


def test_changes_are_in_the_activity_log(world: World, as_maria) -> None:
    enter(world, world.shared_measurable, weeks_ago(1), "7")
    entry = ActivityEntry.objects.filter(verb="entered a value of").get()
    assert entry.target_label == "Leads referred" and entry.visibility == "shared"
    assert list(entry.changes.values()) == [["—", "7"]]
    enter(world, world.internal_measurable, weeks_ago(1), "30")
    assert ActivityEntry.objects.filter(visibility="internal", verb="entered a value of").exists()


# --- What is left to fill in ----------------------------------------------------------------


def test_measurables_to_fill(world: World, django_assert_num_queries) -> None:
    pat = world.actor(world.pat)
    leads = world.shared_measurable
    add(world, "Ratio", formula="{Leads referred} * 2", owner=world.pat)
    with django_assert_num_queries(1):
        due = list(selectors.measurables_to_fill(pat, world.pat))
    assert due == [leads]
    assert due[0].due_period == weeks_ago(1) and due[0].partnership == world.northwind
    enter(world, leads, weeks_ago(1), "5")
    assert list(selectors.measurables_to_fill(pat, world.pat)) == []
    maria = world.actor(world.maria)
    assert list(selectors.measurables_to_fill(pat, world.maria)) == []  # internal: not Pat's
    assert world.internal_measurable in selectors.measurables_to_fill(maria, world.maria)


# --- Costs ----------------------------------------------------------------------------------


def _bulk(world: World, count: int, *, weeks: int = 13, formulas: bool = False) -> None:
    start = Measurable.objects.count()
    made = Measurable.objects.bulk_create(
        Measurable(workspace=world.acme, partnership=world.northwind, title=f"m{start + i}",
                   owner=world.pat, goal=Decimal(5), position=start + i)
        for i in range(count)
    )  # fmt: skip
    Entry.objects.bulk_create(
        Entry(measurable=m, period_start=weeks_ago(w), value=Decimal(w % 9))
        for m in made
        for w in range(weeks)
    )
    if formulas:
        for m in made[:3]:
            add(world, f"f{m.pk}", formula=f"{{{m.title}}} * 2")


def test_the_grid_costs_the_same_with_10_or_200_measurables(world: World, as_maria) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert as_maria.get(url(world)).status_code == 200
        return len(captured)

    _bulk(world, 8, formulas=True)
    few = count()
    _bulk(world, 190, weeks=160)  # three years of weekly values
    assert count() == few
    page = as_maria.get(url(world) + "?page=2")
    assert page.status_code == 200 and "Page 2 of" in page.content.decode()


def test_saving_a_cell_costs_the_same_with_many_measurables(world: World, as_maria) -> None:
    leads = world.shared_measurable

    def count(value: str) -> int:
        current = Entry.objects.filter(measurable=leads, period_start=weeks_ago(1)).first()
        data = {"value": value, "version": current.version if current else ""}
        with CaptureQueriesContext(connection) as captured:
            assert (
                as_maria.post(cell_url(world, leads, weeks_ago(1)), data, **HX).status_code == 200
            )
        return len(captured)

    count("1")
    few = count("2")
    _bulk(world, 200, weeks=52)
    assert count("3") == few


def test_a_refused_delete_names_only_formulas_the_person_sees(world: World) -> None:
    maria, pat = world.actor(world.maria), world.actor(world.pat)
    shared = world.shared_measurable
    services.measurable_create(
        actor=maria,
        partnership=world.northwind,
        title="Margin check",
        formula=f"{{#{shared.pk}}} * 2",
        visibility="internal",
    )
    with pytest.raises(InvalidInput) as refused:
        services.measurable_delete(shared, actor=pat, version=shared.version)
    assert "another measurable" in refused.value.detail
    assert "Margin check" not in refused.value.detail
    with pytest.raises(InvalidInput, match="Margin check"):
        services.measurable_delete(shared, actor=maria, version=shared.version)
