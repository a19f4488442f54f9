"""Changing the scorecard: measurables, their values and one-period goals. Pages and the API
both call these.

A scorecard belongs to a partnership or to the program (``scope`` is a ``Partnership`` or the
``Program`` stand-in of ``tandem.partners.scope``: both answer ``id``, ``pk``,
``workspace_id`` and ``is_archived``).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core import params
from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.errors import Conflict, InvalidInput
from tandem.core.models import ScopedQuerySet
from tandem.core.policy import check_owner, item_values, require_open
from tandem.core.scope import Scope, scope_of
from tandem.scorecard import formula as formulas
from tandem.scorecard import units
from tandem.scorecard.models import (
    Aggregate,
    Comparator,
    Entry,
    Frequency,
    Measurable,
    Source,
    Unit,
    default_aggregate,
    is_period_start,
    period_label,
    period_of,
)

MEASURABLE_FIELDS = Measurable.concurrency_fields
CURRENCY = re.compile(r"^[A-Z]{3}$")


# --- Values of goals and formulas -----------------------------------------------------------


def _number(unit: str, raw: Any, field: str) -> Decimal | None:
    try:
        return units.parse(unit, raw)
    except units.BadValue as error:
        raise InvalidInput(str(error), errors={field: [str(error)]}) from error


def _goals(values: dict[str, Any], *, prefix: str = "") -> None:
    """Parse ``goal`` / ``goal_high`` in the unit; a range needs both, low to high."""
    unit, comparator = values["unit"], values["comparator"]
    values["goal"] = _number(unit, values.get("goal"), "goal")
    if comparator == Comparator.BETWEEN:
        values["goal_high"] = _number(unit, values.get("goal_high"), "goal_high")
        if values["goal"] is not None and values["goal_high"] is None:
            raise InvalidInput(
                "A range needs both ends.",
                errors={"goal_high": ["Enter the top of the range."]},
            )
        if values["goal_high"] is not None and values["goal"] is None:
            raise InvalidInput(
                "A range needs both ends.", errors={"goal": ["Enter the bottom of the range."]}
            )
        if values["goal"] is not None and values["goal_high"] < values["goal"]:
            raise InvalidInput(
                f"{prefix}The top of the range is below its bottom.",
                errors={"goal_high": ["Enter a number at or above the bottom of the range."]},
            )
    else:
        values["goal_high"] = None


def _scorecard(scope: Scope) -> QuerySet[Measurable]:
    """Every measurable of a scorecard, whoever asks: for reference and cycle checks only."""
    return Measurable.objects.in_scope(scope)


def _formula(
    actor: Actor,
    scope: Scope,
    text: str,
    *,
    frequency: str,
    visibility: str,
    own_id: int | None = None,
) -> str:
    """Check a formula and return it with ids: other measurables of the same scorecard and
    frequency that the author can see; a shared one uses shared measurables only (the
    partner would otherwise read internal numbers through it); no cycles."""
    text = (text or "").strip()
    if not text:
        return ""
    from tandem.scorecard.selectors import measurables_in

    candidates = list(
        measurables_in(actor, scope)
        .filter(frequency=frequency)
        .only("id", "title", "visibility", "formula")
    )
    by_title = {m.title.strip().lower(): m for m in candidates}
    by_id = {m.pk: m for m in candidates}

    def resolve(name: str) -> int:
        found = None
        if name.startswith("#") and name[1:].isascii() and name[1:].isdigit():
            found = by_id.get(int(name[1:]))
        else:
            found = by_title.get(name.lower())
        if found is None:
            raise formulas.FormulaError(
                f"Unknown measurable {{{name}}}: use the name of another"
                f" {frequency} measurable of this scorecard."
            )
        if found.pk == own_id:
            raise formulas.FormulaError("A measurable cannot use itself.")
        if visibility == Visibility.SHARED and found.visibility != Visibility.SHARED:
            raise formulas.FormulaError(
                f"{{{found.title}}} is internal: a shared measurable can only use shared ones."
            )
        return found.pk

    try:
        node = formulas.parse(text, resolve)
        canonical = formulas.canonical(node)
        if len(canonical) > formulas.MAX_LENGTH:
            raise formulas.FormulaError("The formula is too long.")
        if own_id is not None:
            edges = {
                m.pk: formulas.references(formulas.parse(m.formula))
                for m in _scorecard(scope).exclude(formula="").only("id", "formula")
            }
            edges[own_id] = formulas.references(node)
            if formulas.find_cycle(own_id, edges):
                raise formulas.FormulaError(
                    "That would go round in a circle: a measurable this one uses already uses it."
                )
    except formulas.FormulaError as error:
        raise InvalidInput(str(error), errors={"formula": [str(error)]}) from error
    return canonical


def dependents(measurable: Measurable) -> ScopedQuerySet[Measurable]:
    """The measurables whose formula uses this one directly."""
    return (
        Measurable.objects.in_scope(scope_of(measurable))
        .filter(formula__contains=f"{{#{measurable.pk}}}")
        .exclude(pk=measurable.pk)
    )


# --- Measurables ----------------------------------------------------------------------------


def _clean_values(values: dict[str, Any]) -> dict[str, Any]:
    if "title" in values:
        values["title"] = (values["title"] or "").strip()
    if "description" in values:
        values["description"] = values["description"] or ""
    if "currency" in values:
        values["currency"] = (values["currency"] or "USD").strip().upper()
        if not CURRENCY.match(values["currency"]):
            raise InvalidInput(
                "Please correct the highlighted fields.",
                errors={"currency": ["Use a three-letter currency code, like USD or EUR."]},
            )
    for name, choices in (
        ("unit", Unit.values),
        ("comparator", Comparator.values),
        ("frequency", Frequency.values),
    ):
        if name in values and values[name] not in choices:
            raise InvalidInput(
                "Please correct the highlighted fields.",
                errors={name: [f"Choose one of: {', '.join(choices)}."]},
            )
    if "source" in values:
        values["source"] = values["source"] or Source.MANUAL
        if values["source"] not in Source.values:
            raise InvalidInput(
                "Please correct the highlighted fields.",
                errors={"source": [f"Choose one of: {', '.join(Source.values)}."]},
            )
    if values.get("aggregate") not in (None, "", *Aggregate.values):
        raise InvalidInput(
            "Please correct the highlighted fields.",
            errors={"aggregate": ["Choose total or average."]},
        )
    return values


def _computed(values: dict[str, Any], workspace_id: int) -> None:
    """A measurable computed from the ledger or the pipeline takes no formula; its unit is
    a count, or money in the workspace's base currency (other currencies are converted at
    the rates entered, never mixed)."""
    source = values.get("source") or Source.MANUAL
    if source == Source.MANUAL:
        return
    if (values.get("formula") or "").strip():
        raise InvalidInput(
            "A measurable is computed from the ledger or the pipeline, or from a formula:"
            " not both.",
            errors={"formula": ["Leave the formula empty for a computed measurable."]},
        )
    from tandem.exchange.money.selectors import base_currency
    from tandem.scorecard.sources import unit_of

    values["unit"] = unit_of(source)
    if values["unit"] == Unit.CURRENCY:
        values["currency"] = base_currency(workspace_id)


def _check_title(scope: Scope, title: str, own_id: int | None = None) -> None:
    """Formulas name measurables by title: two of one scorecard never share one."""
    taken = _scorecard(scope).filter(title__iexact=title)
    if own_id is not None:
        taken = taken.exclude(pk=own_id)
    if title and taken.exists():
        raise InvalidInput(
            "Please correct the highlighted fields.",
            errors={"title": ["Another measurable of this scorecard has this name."]},
        )


def measurable_create(
    *,
    actor: Actor,
    partnership: Scope,
    title: str,
    unit: str = Unit.NUMBER,
    comparator: str = Comparator.AT_LEAST,
    goal: Any = None,
    goal_high: Any = None,
    frequency: str = Frequency.WEEKLY,
    aggregate: str = "",
    formula: str = "",
    owner: User | None = None,
    currency: str = "USD",
    description: str = "",
    visibility: str = Visibility.SHARED,
    source: str = Source.MANUAL,
) -> Measurable:
    """A new measurable, owned by whoever adds it unless they name someone. ``partnership``
    may be the program (``tandem.partners.scope.Program``). With a ``source`` other than
    manual, its values are computed from the ledger or the pipeline."""
    actor.require(actor.can_see_partnership(partnership))
    require_open(partnership)
    values = _clean_values(
        item_values(
            actor,
            partnership,
            {
                "title": title,
                "unit": unit,
                "comparator": comparator,
                "goal": goal,
                "goal_high": goal_high,
                "frequency": frequency,
                "aggregate": aggregate,
                "currency": currency,
                "description": description,
                "visibility": visibility,
                "source": source,
            },
        )
    )
    owner = owner if owner is not None else actor.user
    _check_title(partnership, values["title"])
    check_owner(partnership, owner, values["visibility"])
    checked = {**values, "formula": formula}
    _computed(checked, partnership.workspace_id)
    values["unit"], values["currency"] = checked["unit"], checked["currency"]
    _goals(values)
    values["formula"] = _formula(
        actor,
        partnership,
        formula,
        frequency=values["frequency"],
        visibility=values["visibility"],
    )
    values["aggregate"] = values["aggregate"] or default_aggregate(
        values["unit"], formula=values["formula"]
    )
    last = _scorecard(partnership).aggregate(last=Max("position"))["last"]
    measurable = Measurable(
        workspace_id=partnership.workspace_id,
        partnership_id=partnership.id,
        owner=owner,
        position=(last or 0) + 1,
        **values,
    )
    core.create(
        measurable,
        actor=actor,
        fields=("title", "owner", "unit", "comparator", "goal", "frequency", "visibility"),
    )
    return measurable


def measurable_update(
    measurable: Measurable, *, actor: Actor, version: int | None, **changes: Any
) -> Measurable:
    actor.require(actor.can_change(measurable))
    require_open(scope_of(measurable))
    scope = scope_of(measurable)
    unknown = set(changes) - set(MEASURABLE_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    changes = _clean_values(item_values(actor, scope, changes))
    merged = {name: changes.get(name, getattr(measurable, name)) for name in MEASURABLE_FIELDS}
    if "title" in changes:
        _check_title(scope, changes["title"], measurable.pk)
    if (
        changes.get("visibility") == Visibility.INTERNAL
        and dependents(measurable).filter(visibility=Visibility.SHARED).exists()
    ):
        raise InvalidInput(
            "A shared formula uses this measurable: it stays shared.",
            errors={"visibility": ["Used in a shared formula."]},
        )
    if "owner" in changes and changes["owner"] != measurable.owner or "visibility" in changes:
        check_owner(scope, merged["owner"], merged["visibility"])
    if {"source", "formula", "unit", "currency"} & set(changes):
        _computed(merged, scope.workspace_id)
        if merged["source"] != Source.MANUAL:
            changes["unit"], changes["currency"] = merged["unit"], merged["currency"]
    if (
        changes.get("source", measurable.source) != Source.MANUAL
        and measurable.source == Source.MANUAL
        and measurable.entries.filter(value__isnull=False).exists()
    ):
        raise InvalidInput(
            "This measurable has values entered by hand: add a new one to compute them.",
            errors={"source": ["It has values entered by hand already."]},
        )
    if {"goal", "goal_high", "unit", "comparator"} & set(changes):
        _goals(merged)
        changes["goal"], changes["goal_high"] = merged["goal"], merged["goal_high"]
    if {"formula", "frequency", "visibility"} & set(changes):
        changes["formula"] = _formula(
            actor,
            scope,
            changes.get("formula", measurable.formula),
            frequency=merged["frequency"],
            visibility=merged["visibility"],
            own_id=measurable.pk,
        )
    if changes.get("aggregate") == "":
        changes["aggregate"] = default_aggregate(
            merged["unit"], formula=changes.get("formula", measurable.formula)
        )
    if changes.get("frequency", measurable.frequency) != measurable.frequency:
        if measurable.entries.filter(value__isnull=False).exists():
            raise InvalidInput(
                "This measurable has values: it keeps its frequency. Add a new one instead.",
                errors={"frequency": ["It has values already."]},
            )
        if dependents(measurable).exists():
            raise InvalidInput(
                "Formulas use this measurable: it keeps their frequency.",
                errors={"frequency": ["Used in a formula."]},
            )
    core.update(measurable, actor=actor, version=version, changes=changes)
    return measurable


def measurable_delete(measurable: Measurable, *, actor: Actor, version: int | None) -> None:
    actor.require(actor.can_change(measurable))
    require_open(scope_of(measurable))
    users = dependents(measurable)
    if users.exists():
        # Name only the formulas the person can see; an internal one stays unnamed.
        named = list(users.visible_to(actor).values_list("title", flat=True)[:3])
        where = ", ".join(named) if named else "another measurable"
        raise InvalidInput(
            f"“{measurable.title}” is used in the formula of {where}: change that first."
        )
    core.delete(measurable, actor=actor, version=version)


def measurable_move(measurable: Measurable, *, actor: Actor, step: int) -> None:
    """Move a measurable one place up (-1) or down (+1) among its scorecard's."""
    actor.require(actor.can_change(measurable))
    require_open(scope_of(measurable))
    neighbours = _scorecard(scope_of(measurable)).filter(frequency=measurable.frequency)
    if step < 0:
        before = neighbours.filter(position__lte=measurable.position).exclude(pk=measurable.pk)
        other = before.order_by("-position", "-id").first()
    else:
        after = neighbours.filter(position__gte=measurable.position).exclude(pk=measurable.pk)
        other = after.order_by("position", "id").first()
    if other is None:
        return
    with transaction.atomic():
        mine, theirs = measurable.position, other.position
        if mine == theirs:
            theirs = mine + (1 if step > 0 else -1)
            if theirs < 0:
                mine, theirs = 1, 0
        Measurable._base_manager.filter(pk=measurable.pk).update(position=theirs)
        Measurable._base_manager.filter(pk=other.pk).update(position=mine)
        core.record(actor=actor, verb="reordered", target=measurable)


def formula_text(measurable: Measurable, scorecard: Any = None) -> str:
    """The stored formula with the current names: "{Leads} / {Meetings} * 100"."""
    if not measurable.formula:
        return ""
    node = formulas.parse(measurable.formula)
    pool = scorecard if scorecard is not None else _scorecard(scope_of(measurable))
    titles = dict(pool.filter(pk__in=formulas.references(node)).values_list("pk", "title"))
    return formulas.render(node, lambda pk: titles.get(pk, f"#{pk}"))


# --- Values and one-period goals -------------------------------------------------------------


def check_period(measurable: Measurable, period_start: date, *, future: bool = False) -> None:
    today = timezone.localdate()
    if not is_period_start(period_start, measurable.frequency) or not (
        params.EARLIEST <= period_start <= params.LATEST
    ):
        what = "a month's first day" if measurable.frequency == Frequency.MONTHLY else "a Monday"
        raise InvalidInput(
            "That is not a period of this measurable.",
            errors={"period_start": [f"Choose {what} between 2000 and 2100."]},
        )
    if not future and period_start > period_of(today, measurable.frequency):
        raise InvalidInput(
            "That period has not started yet.",
            errors={"value": ["Enter values for this period or earlier ones."]},
        )


def _period_words(measurable: Measurable, period_start: date) -> str:
    if measurable.frequency == Frequency.MONTHLY:
        return period_label(period_start, Frequency.MONTHLY)
    return f"week of {period_label(period_start, Frequency.WEEKLY)} {period_start.year}"


def _write(
    measurable: Measurable,
    *,
    actor: Actor,
    period_start: date,
    version: int | None,
    changes: dict[str, Any],
    verb: str,
    shown: dict[str, list[str]],
) -> Entry:
    """Create or update one period's row if nobody changed it since ``version`` (None: the
    writer saw no row), and record it on the measurable's activity."""
    entry = Entry.objects.filter(measurable=measurable, period_start=period_start).first()
    stale = "Someone else changed this value while you were editing."
    if entry is None:
        if version:  # they saw a row that is not there (yet): what is saved is nothing
            current = Entry(measurable=measurable, period_start=period_start, version=0)
            raise Conflict(stale, current=current, attempted=changes)
        entry = Entry(measurable=measurable, period_start=period_start, **changes)
        entry.updated_by = actor.user
        try:
            with transaction.atomic():
                entry.save()
                core.record(actor=actor, verb=verb, target=measurable, changes=shown)
        except IntegrityError as error:  # someone created it a moment ago
            current = Entry.objects.get(measurable=measurable, period_start=period_start)
            raise Conflict(stale, current=current, attempted=changes) from error
        return entry
    core.check_version(entry, version, attempted=changes, message=stale)
    if all(getattr(entry, name) == value for name, value in changes.items()):
        return entry
    with transaction.atomic():
        core.write(
            entry,
            version=version,
            changes={**changes, "updated_by": actor.user},
            attempted=changes,
            message=stale,
        )
        core.record(actor=actor, verb=verb, target=measurable, changes=shown)
    return entry


def value_set(
    measurable: Measurable,
    *,
    actor: Actor,
    period_start: date,
    value: Any,
    version: int | None,
) -> Entry:
    """Enter (or clear, with an empty value) one period's value. Formula measurables take no
    values: theirs are computed from the measurables they use."""
    actor.require(actor.can_change(measurable))
    require_open(scope_of(measurable))
    if measurable.is_formula:
        raise InvalidInput(
            "This measurable is computed from its formula: enter the values it uses.",
            errors={"value": ["Computed from its formula; it takes no values."]},
        )
    if measurable.is_computed:
        where = measurable.get_source_display()
        raise InvalidInput(
            f"This measurable fills itself ({where}): its values are computed, never typed."
            " Record the entry or the deal instead.",
            errors={"value": ["Computed from the ledger or the pipeline; it takes no values."]},
        )
    check_period(measurable, period_start)
    number = _number(measurable.unit, value, "value")
    current = Entry.objects.filter(measurable=measurable, period_start=period_start).first()
    before = current.value if current is not None else None
    shown = {
        _period_words(measurable, period_start): [
            units.show(measurable.unit, before, measurable.currency),
            units.show(measurable.unit, number, measurable.currency),
        ]
    }
    return _write(
        measurable,
        actor=actor,
        period_start=period_start,
        version=version,
        changes={"value": number},
        verb="entered a value of" if number is not None else "cleared a value of",
        shown=shown,
    )


def period_goal_set(
    measurable: Measurable,
    *,
    actor: Actor,
    period_start: date,
    goal: Any,
    goal_high: Any = None,
    note: str = "",
    version: int | None,
) -> Entry:
    """A goal for one period only (a holiday week, a launch month), with a note saying why.
    An empty goal goes back to the measurable's own."""
    actor.require(actor.can_change(measurable))
    require_open(scope_of(measurable))
    check_period(measurable, period_start, future=True)
    values = {
        "unit": measurable.unit,
        "comparator": measurable.comparator,
        "goal": goal,
        "goal_high": goal_high,
    }
    _goals(values)
    note = (note or "").strip()
    if len(note) > 200:
        raise InvalidInput(
            "Keep the note short.", errors={"goal_note": ["At most 200 characters."]}
        )
    if values["goal"] is None:
        note = ""
    elif not note:
        raise InvalidInput(
            "Say why this period's goal differs.",
            errors={"goal_note": ["A short note: why this period is different."]},
        )
    shown_goal = units.show(measurable.unit, values["goal"], measurable.currency)
    if values["goal_high"] is not None:
        shown_goal += " – " + units.show(measurable.unit, values["goal_high"], measurable.currency)
    return _write(
        measurable,
        actor=actor,
        period_start=period_start,
        version=version,
        changes={"goal": values["goal"], "goal_high": values["goal_high"], "goal_note": note},
        verb="set a goal for one period of" if values["goal"] is not None else "reset a goal of",
        shown={
            f"goal, {_period_words(measurable, period_start)}": [
                "",
                f"{shown_goal} ({note})" if note else "the usual goal",
            ]
        },
    )
