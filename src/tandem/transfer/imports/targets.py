"""What a CSV file can be imported into: each target's fields, as the mapping page offers
them, and the natural keys a person may pick so that importing the same file again updates
instead of duplicating. The rules that check and write each field are in ``checking.py`` and
``writing.py``."""

from __future__ import annotations

from dataclasses import dataclass

from tandem.exchange.ledger.models import Direction
from tandem.exchange.pipeline.models import Attribution
from tandem.partners.models import Cadence, Horizon, Kind, Stage

EXTERNAL_ID = "external_id"

VISIBILITY_CHOICES = (("internal", "Internal"), ("shared", "Shared with partner"))


@dataclass(frozen=True)
class Field:
    """One thing a column can be mapped to. ``kind``: "text", "date", "amount", "currency",
    "email", "choice", "int", "decimal" or "person" (a user named by e-mail address)."""

    name: str
    label: str
    required: bool
    kind: str
    help: str = ""
    # For "choice": (value, label); empty when the choices are the workspace's own
    # (pipeline stages, ledger kinds, measurables), read when the import is planned.
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int = 0
    multiline: bool = False


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    fields: tuple[Field, ...]
    # Each a set of fields that names one record: importing a row whose key is already
    # there updates that record.
    natural_keys: tuple[tuple[str, ...], ...]
    # True: imported into one partnership the person chooses; False: the workspace's own.
    in_partnership: bool
    # The key is fixed (the target's own unique key), not chosen.
    fixed_key: bool = False

    def field(self, name: str) -> Field | None:
        return next((field for field in self.fields if field.name == name), None)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields)


def _external() -> Field:
    return Field(
        EXTERNAL_ID,
        "External id",
        False,
        "text",
        help="The record's id in your CRM: importing the file again updates these records.",
        max_length=200,
    )


def _visibility() -> Field:
    return Field(
        "visibility",
        "Visibility",
        False,
        "choice",
        help="Internal unless the column says shared.",
        choices=VISIBILITY_CHOICES,
    )


def _choices(options: type) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), str(label)) for value, label in options.choices)  # type: ignore[attr-defined]


OPPORTUNITIES = Target(
    key="opportunities",
    label="Opportunities (pipeline)",
    in_partnership=True,
    fields=(
        _external(),
        Field("account_name", "Customer account", True, "text", max_length=200),
        Field(
            "account_domain", "Web domain", False, "text", help="e.g. contoso.com", max_length=253
        ),
        Field(
            "stage",
            "Stage",
            False,
            "choice",
            help="A stage of the workspace's pipeline, by name; the first open stage if empty.",
        ),
        Field("amount", "Amount", False, "amount", help="e.g. 1,250.00 or €1.250,00"),
        Field(
            "currency",
            "Currency",
            False,
            "currency",
            help="ISO 4217 code; read from the amount when it carries a symbol.",
        ),
        Field("expected_close", "Expected close", False, "date"),
        Field("owner", "Owner", False, "person", help="The owner's e-mail address."),
        Field("next_step", "Next step", False, "text", max_length=300),
        Field("attribution", "Attribution", False, "choice", choices=_choices(Attribution)),
        _visibility(),
    ),
    natural_keys=(("account_name",), ("account_domain",)),
)

LEDGER_ENTRIES = Target(
    key="ledger_entries",
    label="Value exchange entries (ledger)",
    in_partnership=True,
    fields=(
        _external(),
        Field("title", "What was given", True, "text", max_length=200),
        Field("occurred_on", "Date", True, "date"),
        Field("kind", "Kind", True, "choice", help="A kind of the workspace's ledger, by name."),
        Field(
            "direction",
            "Direction",
            True,
            "choice",
            help="Given by us, or given by the partner.",
            choices=_choices(Direction),
        ),
        Field("amount", "Amount", False, "amount"),
        Field("currency", "Currency", False, "currency"),
        Field("notes", "Notes", False, "text", max_length=5000, multiline=True),
        Field("owner", "Owner", False, "person", help="The owner's e-mail address."),
        _visibility(),
    ),
    natural_keys=(("title", "occurred_on"), ("title", "occurred_on", "direction")),
)

SCORECARD_VALUES = Target(
    key="scorecard_values",
    label="Scorecard values",
    in_partnership=True,
    fixed_key=True,
    fields=(
        Field(
            "measurable",
            "Measurable",
            True,
            "choice",
            help="A measurable of the partnership's scorecard, by title.",
        ),
        Field(
            "period_start",
            "Period",
            True,
            "date",
            help="Any day of the week or month the value is for.",
        ),
        Field("value", "Value", True, "decimal"),
    ),
    natural_keys=(("measurable", "period_start"),),
)

PARTNERSHIPS = Target(
    key="partnerships",
    label="Partnerships",
    in_partnership=False,
    fields=(
        _external(),
        Field("name", "Partner company", True, "text", max_length=120),
        Field("website", "Website", False, "text", max_length=200),
        Field("summary", "Summary", False, "text", max_length=2000, multiline=True),
        Field("kind", "Kind", False, "choice", choices=_choices(Kind)),
        Field("horizon", "Horizon", False, "choice", choices=_choices(Horizon)),
        Field(
            "stage",
            "Stage",
            False,
            "choice",
            help="A partnership becomes active after a go in due diligence, not by import.",
            choices=tuple(pair for pair in _choices(Stage) if pair[0] != Stage.ACTIVE),
        ),
        Field("cadence", "Meeting cadence", False, "choice", choices=_choices(Cadence)),
        Field("hours_per_week", "Hours per week committed", False, "decimal"),
        Field("owner", "Day-to-day owner", False, "person", help="A member's e-mail address."),
        Field("sponsor", "Executive sponsor", False, "person", help="A member's e-mail address."),
    ),
    natural_keys=(("name",),),
)

CONTACTS = Target(
    key="contacts",
    label="Partner contacts",
    in_partnership=True,
    fields=(
        _external(),
        Field("name", "Name", True, "text", max_length=120),
        Field("email", "E-mail", False, "email"),
        Field("title", "Job title", False, "text", max_length=120),
        Field("phone", "Phone", False, "text", max_length=40),
        _visibility(),
    ),
    natural_keys=(("email",), ("name",)),
)

TARGETS: dict[str, Target] = {
    target.key: target
    for target in (OPPORTUNITIES, LEDGER_ENTRIES, SCORECARD_VALUES, PARTNERSHIPS, CONTACTS)
}
