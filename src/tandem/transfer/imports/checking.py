"""The import's first pass: every row checked with the rules the item services apply one at
a time (the model's lengths and choices, ISO 4217 currencies, owners who may see the item,
dates within 2000–2100).

A million rows cannot pass one by one through the services, so the rules are applied here in
bulk and the rows are written with plain SQL (``writing``). The work is split in two passes so
that the write holds the database (SQLite's one write lock) as briefly as possible:

1. ``check_file`` (here) reads the file, converts and checks every row outside any
   transaction, and streams the valid rows, already in the database's terms, to a file
   beside the upload; without that file it is the dry run.
2. ``writing.write_rows`` reads that file back in one transaction: it finds the records the
   rows' keys name (updates), allocates ids for the others (creates), and writes them batch
   by batch. Cancelled or killed, the transaction rolls back and nothing is left half-written.
"""

from __future__ import annotations

import marshal
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.utils import timezone

from tandem.accounts.models import Membership, PartnerAccess, User
from tandem.core import params, text
from tandem.core.access import Visibility
from tandem.core.errors import InvalidInput
from tandem.exchange.ledger.models import Direction, Entry, Kind
from tandem.exchange.ledger.services import ensure_kinds
from tandem.exchange.money.services import iso_codes
from tandem.exchange.pipeline.models import Opportunity, Outcome
from tandem.exchange.pipeline.services import normalised_domain, normalised_name
from tandem.exchange.pipeline.stages import stages_of
from tandem.partners.models import Contact, Partnership
from tandem.scorecard.models import Entry as ScorecardEntry
from tandem.scorecard.models import Measurable, period_of
from tandem.transfer.imports import reading
from tandem.transfer.imports.models import ImportJob
from tandem.transfer.imports.targets import EXTERNAL_ID, TARGETS, Field, Target

CHUNK = 5000  # rows read, checked and written together: bounded memory, few queries
KEPT_ERRORS = 1000  # row errors kept for the person to read; all are counted
SEPARATOR = "\x1f"  # between the parts of a key


class Cancelled(Exception):
    """The person asked the import to stop."""


class Problem(Exception):
    """One reason a row cannot be imported, naming the field it is about."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass
class Checked:
    total: int = 0
    valid: int = 0
    error_count: int = 0  # problems (a row may have several)
    errors: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def invalid(self) -> int:
        return self.total - self.valid

    def add(self, row: int, column: str, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < KEPT_ERRORS:
            self.errors.append((row, column, reason[:500]))


def job_scope(job: ImportJob) -> dict[str, Any]:
    """The job's workspace and partnership (None: the program level, IS NULL)."""
    return {"workspace_id": job.workspace_id, "partnership_id": job.partnership_id}


# Cells -----------------------------------------------------------------------------------


def _text(value: str, spec: Field) -> str:
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    value = value.strip()
    if not (value.isascii() and value.isprintable()):
        problem = text.body_problem(value) if spec.multiline else text.line_problem(value)
        if problem:
            raise ValueError(problem)
    if spec.max_length and len(value) > spec.max_length:
        raise ValueError(f"Keep it to {spec.max_length} characters (this has {len(value)}).")
    return value


def _date(value: str, form: str) -> date:
    day = reading.parse_date(value, form)
    if not params.EARLIEST <= day <= params.LATEST:
        raise ValueError(params.DATE_MESSAGE)
    return day


def _amount(value: str) -> tuple[Decimal, str | None]:
    amount, currency = reading.parse_amount(value)
    if amount < 0:
        raise ValueError("An amount cannot be negative.")
    if amount >= Decimal("1e12"):
        raise ValueError("That amount is too large.")
    return amount.quantize(Decimal("0.01")), currency


def _currency(value: str) -> str:
    code = value.strip().upper()
    if code not in iso_codes():
        raise ValueError(f"{code[:12]} is not a currency code (ISO 4217, e.g. EUR).")
    return code


def _decimal(value: str) -> Decimal:
    number, _ = reading.parse_amount(value)
    return number


def _choice(value: str, choices: dict[str, Any], spec: Field) -> Any:
    found = choices.get(value.strip().casefold())
    if found is None:
        names = sorted({str(label) for label in choices.values() if isinstance(label, str)})
        listed = ", ".join(names[:12]) + (" …" if len(names) > 12 else "")
        raise ValueError(f"“{value.strip()[:60]}” is not a {spec.label.lower()} here ({listed}).")
    return found


def choice_table(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Values and labels, matched whatever their case, to the value."""
    table: dict[str, str] = {}
    for value, label in pairs:
        table[label.casefold()] = value
        table[value.casefold()] = value
    return table


# The plan: what a job's mapping means for each row -------------------------------------------


@dataclass
class Person:
    id: int
    member: bool


@dataclass
class Plan:
    job: ImportJob
    target: Target
    sniffed: reading.Sniffed
    columns: dict[str, int]  # field → cell index
    column_names: dict[str, str]  # field → the header's name
    forms: dict[str, str]
    key: tuple[str, ...]
    people: dict[str, Person] = field(default_factory=dict)
    # The workspace's own choices, read once: name (casefolded) → id.
    stages: dict[str, Any] = field(default_factory=dict)
    kinds: dict[str, Any] = field(default_factory=dict)
    measurables: dict[str, Any] = field(default_factory=dict)
    first_open_stage: int | None = None
    closed_stages: set[int] = field(default_factory=set)
    today: date = field(default_factory=timezone.localdate)
    # (field, cell index, required, read): the mapped fields in the target's order.
    readers: list[tuple[str, int, bool, Callable[[str], Any]]] = field(default_factory=list)

    @property
    def mapped(self) -> set[str]:
        return set(self.columns)

    def column_of(self, name: str) -> str:
        return self.column_names.get(name, "")


def plan_for(job: ImportJob) -> Plan:
    """Read what a job's rows are checked against: its mapping, the workspace's stages,
    kinds and measurables, and the people who may own its items."""
    target = TARGETS[job.target]
    if job.partnership is not None and job.partnership.is_archived:
        raise InvalidInput("This partnership is archived. Restore it to import into it.")
    sniffed = reading.Sniffed(
        encoding=job.encoding, delimiter=job.delimiter, header=list(job.header), sample=[]
    )
    header = list(job.header)
    columns = {name: header.index(column) for name, column in job.mapping.items()}
    plan = Plan(
        job=job,
        target=target,
        sniffed=sniffed,
        columns=columns,
        column_names=dict(job.mapping),
        forms=dict(job.date_forms),
        key=tuple(target.natural_keys[0] if target.fixed_key else job.key),
    )
    if "owner" in columns or "sponsor" in columns:
        members = Membership.objects.filter(workspace_id=job.workspace_id).values_list(
            "user_id", "user__email"
        )
        for user_id, email in members:
            plan.people[email.casefold()] = Person(user_id, True)
        if job.partnership_id is not None:
            partners = PartnerAccess.objects.filter(partnership_id=job.partnership_id).values_list(
                "user_id", "user__email"
            )
            for user_id, email in partners:
                plan.people.setdefault(email.casefold(), Person(user_id, False))
        active = set(
            User.objects.filter(
                is_active=True, pk__in=[p.id for p in plan.people.values()]
            ).values_list("pk", flat=True)
        )
        plan.people = {email: p for email, p in plan.people.items() if p.id in active}
    if target.key == "opportunities":
        for stage in stages_of(job.workspace_id):
            if stage.archived:
                continue
            plan.stages[stage.name.casefold()] = (stage.pk, stage.name)
            if stage.outcome != Outcome.OPEN:
                plan.closed_stages.add(stage.pk)
            elif plan.first_open_stage is None:
                plan.first_open_stage = stage.pk
    if target.key == "ledger_entries":
        ensure_kinds(job.workspace_id)
        for kind in Kind.objects.filter(workspace_id=job.workspace_id, archived=False):
            plan.kinds[kind.name.casefold()] = (kind.pk, kind.name)
    if target.key == "scorecard_values":
        for measurable in Measurable.objects.filter(**job_scope(job)):
            if not measurable.takes_no_values:
                plan.measurables[measurable.title.casefold()] = (
                    measurable.pk,
                    measurable.title,
                    measurable.frequency,
                )
    plan.readers = [
        (spec.name, columns[spec.name], spec.required, _reader(plan, spec))
        for spec in target.fields
        if spec.name in columns
    ]
    return plan


def _named(table: dict[str, Any], value: str, what: str) -> Any:
    found = table.get(value.strip().casefold())
    if found is None:
        names = sorted(entry[1] for entry in table.values())
        listed = ", ".join(names[:12]) + (" …" if len(names) > 12 else "")
        raise ValueError(
            f"No {what} is named “{value.strip()[:60]}” ({listed or 'there are none'})."
        )
    return found


def _cells(plan: Plan, cells: list[str]) -> dict[str, Any]:
    """Each mapped field's cell converted (None when empty); RowProblems with every problem
    of the row."""
    values: dict[str, Any] = {}
    problems: list[Problem] | None = None
    for name, index, required, read in plan.readers:
        raw = cells[index]
        if not raw or raw.isspace():
            if required:
                problems = problems or []
                problems.append(Problem(name, "This is required, and the cell is empty."))
            values[name] = None
            continue
        try:
            values[name] = read(raw)
        except ValueError as error:
            reason = str(error)
            problems = problems or []
            problems.append(Problem(name, reason[:1].upper() + reason[1:]))
    if problems:
        raise RowProblems(problems)
    return values


def _reader(plan: Plan, spec: Field) -> Callable[[str], Any]:
    """The function that reads one field's cells, chosen once per import."""
    if spec.kind == "text":
        return lambda raw: _text(raw, spec)
    if spec.kind == "date":
        form = plan.forms.get(spec.name, "iso")
        return lambda raw: _date(raw, form)
    if spec.kind == "amount":
        return _amount
    if spec.kind == "currency":
        return _currency
    return lambda raw: _convert(plan, spec, raw)


class RowProblems(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].reason)
        self.problems = problems


def _convert(plan: Plan, spec: Field, raw: str) -> Any:
    kind = spec.kind
    if kind == "text":
        return _text(raw, spec)
    if kind == "date":
        return _date(raw, plan.forms.get(spec.name, "iso"))
    if kind == "amount":
        return _amount(raw)
    if kind == "currency":
        return _currency(raw)
    if kind == "decimal":
        return _decimal(raw)
    if kind == "int":
        try:
            return int(raw.strip())
        except ValueError:
            raise ValueError(f"“{raw.strip()[:40]}” is not a whole number.") from None
    if kind == "email":
        value = raw.strip()
        try:
            validate_email(value)
        except ValidationError:
            raise ValueError(f"“{value[:60]}” is not an e-mail address.") from None
        if len(value) > 254:
            raise ValueError("Keep the e-mail address to 254 characters.")
        return value
    if kind == "person":
        email = raw.strip().casefold()
        person = plan.people.get(email)
        if person is None:
            raise ValueError(f"{raw.strip()[:80]} is not someone of this workspace or partnership.")
        return person
    if kind == "choice":
        if spec.choices:
            return _choice(raw, _tables(spec), spec)
        if spec.name == "stage":
            return _named(plan.stages, raw, "stage")
        if spec.name == "kind":
            return _named(plan.kinds, raw, "kind of value")
        if spec.name == "measurable":
            return _named(plan.measurables, raw, "measurable of this scorecard")
    raise ValueError(f"Cannot read a {kind}.")  # pragma: no cover - every kind is above


_TABLES: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}


def _tables(spec: Field) -> dict[str, str]:
    table = _TABLES.get(spec.choices)
    if table is None:
        table = _TABLES[spec.choices] = choice_table(spec.choices)
        if spec.name == "direction":  # what CRM exports say
            table |= {"given": Direction.OURS.value, "received": Direction.PARTNER.value}
    return table


# Each target's row: the database's columns, from the converted fields -----------------------


def _money(values: dict[str, Any], row: dict[str, Any], plan: Plan) -> None:
    if "amount" in values:
        pair = values["amount"]
        row["amount"] = str(pair[0]) if pair else None
        named = pair[1] if pair else None
        currency = values.get("currency") or named
        if pair and not currency:
            field_name = "currency" if "currency" in plan.mapped else "amount"
            raise Problem(field_name, "Give the amount's currency (e.g. EUR).")
        if "currency" in values or named or not pair:
            row["currency"] = currency or ""
    elif "currency" in values:
        row["currency"] = values["currency"] or ""


def _owner(values: dict[str, Any], row: dict[str, Any], name: str = "owner") -> None:
    if name not in values:
        return
    person = values[name]
    visibility = row.get("visibility", Visibility.INTERNAL)
    if person is not None and not person.member and visibility != Visibility.SHARED:
        raise Problem(name, "An internal item is owned by someone from your workspace.")
    row[f"{name}_id"] = person.id if person else None


def _visibility(values: dict[str, Any], row: dict[str, Any]) -> None:
    if "visibility" in values:
        row["visibility"] = values["visibility"] or Visibility.INTERNAL.value


def _opportunity(values: dict[str, Any], plan: Plan) -> dict[str, Any]:
    row: dict[str, Any] = {"account_name": values["account_name"]}
    domain = ""
    if "account_domain" in values:
        domain = _domain(values["account_domain"] or "")
        row["account_domain"] = domain
    key = domain or normalised_name(values["account_name"])
    if not key:
        raise Problem("account_name", "Name the customer account.")
    row["account_key"] = key
    if "stage" in values:
        stage = values["stage"][0] if values["stage"] else plan.first_open_stage
        if stage is None:
            raise Problem("stage", "The pipeline has no open stage: add one under Pipeline stages.")
        row["stage_id"] = stage
        closed = stage in plan.closed_stages
        close = values.get("expected_close") or plan.today
        row["closed_on"] = close.isoformat() if closed else None
    if "expected_close" in values:
        row["expected_close"] = (
            values["expected_close"].isoformat() if values["expected_close"] else None
        )
    for name in ("next_step",):
        if name in values:
            row[name] = values[name] or ""
    if "attribution" in values:
        row["attribution"] = values["attribution"] or "partner_sourced"
    _money(values, row, plan)
    _visibility(values, row)
    _owner(values, row)
    return row


_PLAIN_DOMAIN = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+")


def _domain(value: str) -> str:
    """The pipeline's normalised domain (``contoso.com``), or Problem; the common shape,
    already plain, is taken as it is."""
    if _PLAIN_DOMAIN.fullmatch(value) and not value.startswith("www."):
        return value
    domain = normalised_domain(value)
    if domain and not _PLAIN_DOMAIN.fullmatch(domain):
        raise Problem("account_domain", "Give a web domain such as contoso.com.")
    return domain


def _ledger_entry(values: dict[str, Any], plan: Plan) -> dict[str, Any]:
    row: dict[str, Any] = {
        "title": values["title"],
        "occurred_on": values["occurred_on"].isoformat(),
        "kind_id": values["kind"][0],
        "direction": values["direction"],
    }
    if "notes" in values:
        row["notes"] = values["notes"] or ""
    _money(values, row, plan)
    _visibility(values, row)
    _owner(values, row)
    return row


def _scorecard_value(values: dict[str, Any], plan: Plan) -> dict[str, Any]:
    measurable_id, _, frequency = values["measurable"]
    start = period_of(values["period_start"], frequency)
    if start > period_of(plan.today, frequency):
        raise Problem("period_start", "That period has not started yet.")
    value: Decimal = values["value"]
    if abs(value) >= Decimal("1e14"):
        raise Problem("value", "That value is too large.")
    return {
        "measurable_id": measurable_id,
        "period_start": start.isoformat(),
        "value": str(value.quantize(Decimal("0.0001"))),
    }


_URL = URLValidator(schemes=["http", "https"])


def _partnership(values: dict[str, Any], plan: Plan) -> dict[str, Any]:
    row: dict[str, Any] = {"name": values["name"]}
    if "website" in values:
        site = values["website"] or ""
        if site and "://" not in site:
            site = f"https://{site}"
        if site:
            try:
                _URL(site)
            except ValidationError:
                raise Problem(
                    "website", "Give a web address such as https://contoso.com."
                ) from None
        row["website"] = site
    for name, default in (
        ("summary", ""),
        ("kind", "referral"),
        ("horizon", "tactical"),
        ("stage", "prospect"),
        ("cadence", "weekly"),
    ):
        if name in values:
            row[name] = values[name] or default
    if "hours_per_week" in values:
        hours = values["hours_per_week"]
        if hours is not None and not Decimal(0) <= hours <= Decimal(80):
            raise Problem("hours_per_week", "Give between 0 and 80 hours a week.")
        row["hours_per_week"] = str(
            (hours if hours is not None else Decimal(2)).quantize(Decimal("0.1"))
        )
    for name in ("owner", "sponsor"):
        if name in values:
            person = values[name]
            if person is not None and not person.member:
                raise Problem(name, "Choose a member of this workspace.")
            row[f"{name}_id"] = person.id if person else None
    return row


def _contact(values: dict[str, Any], plan: Plan) -> dict[str, Any]:
    row: dict[str, Any] = {"name": values["name"]}
    for name in ("email", "title", "phone"):
        if name in values:
            row[name] = values[name] or ""
    _visibility(values, row)
    return row


@dataclass(frozen=True)
class Shape:
    """How a target's rows reach the database."""

    model: type[models.Model]
    build: Callable[[dict[str, Any], Plan], dict[str, Any]]
    # A field's column in the model, where the two differ (a foreign key's "_id").
    attnames: dict[str, str]


SHAPES = {
    "opportunities": Shape(Opportunity, _opportunity, {"stage": "stage_id", "owner": "owner_id"}),
    "ledger_entries": Shape(Entry, _ledger_entry, {"kind": "kind_id", "owner": "owner_id"}),
    "scorecard_values": Shape(ScorecardEntry, _scorecard_value, {"measurable": "measurable_id"}),
    "partnerships": Shape(
        Partnership, _partnership, {"owner": "owner_id", "sponsor": "sponsor_id"}
    ),
    "contacts": Shape(Contact, _contact, {}),
}


def _key(plan: Plan, values: dict[str, Any], row: dict[str, Any]) -> str:
    """The row's key: its external id, or the database values of the natural key's fields."""
    if not plan.key:
        return ""
    if plan.key == (EXTERNAL_ID,):
        external = values.get(EXTERNAL_ID)
        if not external:
            raise Problem(EXTERNAL_ID, "Give the record's external id: it is the key.")
        return str(external)
    shape = SHAPES[plan.target.key]
    parts = []
    for name in plan.key:
        value = row.get(shape.attnames.get(name, name))
        if value in (None, ""):
            raise Problem(name, "This is part of the key, and the cell is empty.")
        parts.append(str(value))
    return SEPARATOR.join(parts)


# Pass 1: check ------------------------------------------------------------------------------


def check_file(
    plan: Plan,
    *,
    staged: Path | None = None,
    report: Callable[[int], None] | None = None,
) -> Checked:
    """Read and check every row. The valid rows, as the database will hold them, go to
    ``staged`` (in batches) when given; nothing is written to the database."""
    outcome = Checked()
    width = len(plan.sniffed.header)
    shape = SHAPES[plan.target.key]
    batch: list[tuple[Any, ...]] = []
    columns: list[str] | None = None
    out = staged.open("wb") if staged is not None else None
    try:
        for line, cells in reading.rows(plan.job.path, plan.sniffed):
            outcome.total += 1
            if len(cells) != width:
                outcome.add(line, "", f"This row has {len(cells)} cells; the header has {width}.")
            else:
                try:
                    values = _cells(plan, cells)
                    row = shape.build(values, plan)
                    key = _key(plan, values, row)
                except RowProblems as problems:
                    for problem in problems.problems:
                        outcome.add(line, plan.column_of(problem.field), problem.reason)
                except Problem as problem:
                    outcome.add(line, plan.column_of(problem.field), problem.reason)
                else:
                    outcome.valid += 1
                    if out is not None:
                        if columns is None:
                            columns = list(row)
                            marshal.dump(columns, out)
                        batch.append((line, key, *(row[name] for name in columns)))
            if outcome.total % CHUNK == 0:
                if out is not None and batch:
                    marshal.dump(batch, out)
                    batch = []
                if report is not None:
                    report(outcome.total)
        if out is not None and batch:
            marshal.dump(batch, out)
    finally:
        if out is not None:
            out.close()
    return outcome


def staged_batches(path: Path) -> Iterator[tuple[list[str], list[tuple[Any, ...]]]]:
    with path.open("rb") as source:
        try:
            columns = marshal.load(source)  # noqa: S302 - our own file, written by check_file
        except EOFError:
            return
        while True:
            try:
                yield columns, marshal.load(source)  # noqa: S302 - as above
            except EOFError:
                return
