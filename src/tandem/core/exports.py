"""Every list as a file: CSV (streamed) or Excel, holding what its reader may see.

A list's columns come from its model (``item_columns``: the id, the fields a person edits,
how far along it is, when it was made and changed), or are written for a list that is not
one model (``Column``). ``export_response`` writes the rows it is given, so a list's export
is exactly as visible as the queryset handed to it: the list's own selector or
``visible_to(actor)``, never a query of its own.

Cells are what a reader reads: a person's name, a choice's label, dates in ISO 8601,
times in ISO 8601 UTC, decimals written out plainly. Text that a spreadsheet would take for
a formula (starting with = + - @, a tab or a carriage return) is written with a leading
apostrophe in CSV and as a plain string in Excel.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import capfirst, slugify

from tandem.core.access import Actor, Visibility
from tandem.core.clock import local_today
from tandem.core.errors import InvalidInput

CSV = "csv"
XLSX = "xlsx"
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
UNKNOWN_FORMAT = "Choose format=csv or format=xlsx: those are the formats a list exports to."
# Fields that say how far along an item is: an export holds done, solved and closed items
# too, so it says which they are.
STATE_FIELDS = (
    "status",
    "done_at",
    "solved_at",
    "closed_on",
    "closed_at",
    "archived",
    "registration",
    "confirmation",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000  # rows read per query (prefetches run once per chunk, not per row)


@dataclass(frozen=True)
class Column:
    """One column: its heading and the cell of a row. ``related``: foreign keys the cells
    read (joined once for all rows); ``visible``: items they read, each fetched through its
    own ``visible_to`` (one the reader may not see is an empty cell)."""

    heading: str
    value: Callable[[Any], Any]
    related: tuple[str, ...] = ()
    visible: tuple[str, ...] = ()


def export_format(request: HttpRequest) -> str:
    """``?format=``: csv (also when absent) or xlsx; anything else is refused (400)."""
    return checked_format(request.GET.get("format", CSV) or CSV)


def checked_format(asked: str) -> str:
    """``asked`` if a list exports to it, else the refusal (400) that says which do."""
    if asked not in CONTENT_TYPES:
        raise InvalidInput(UNKNOWN_FORMAT, errors={"format": [UNKNOWN_FORMAT]})
    return asked


def field_column(model: type[models.Model], name: str, heading: str = "") -> Column:
    """The column of one model field, as a reader reads it."""
    if name in {"id", "pk"}:
        return Column(heading or "ID", lambda row: row.pk)
    field = model._meta.get_field(name)
    title = heading or capfirst(str(getattr(field, "verbose_name", name)))
    if name == "visibility":
        return Column(
            title or "Visibility",
            lambda row: "Shared" if row.visibility == Visibility.SHARED else "Internal",
        )
    if getattr(field, "choices", None):
        return Column(title, lambda row: getattr(row, f"get_{name}_display")())
    if field.is_relation and field.many_to_one:
        target = field.related_model
        if target is not get_user_model() and hasattr(
            getattr(target, "objects", None), "visible_to"
        ):
            return Column(title, lambda row: getattr(row, name), visible=(name,))
        return Column(title, lambda row: getattr(row, name), related=(name,))
    return Column(title, lambda row: getattr(row, name))


def item_columns(
    model: type[models.Model],
    fields: Sequence[str] | None = None,
    *,
    extra: Sequence[Column] = (),
) -> list[Column]:
    """The columns of a list of ``model``: its id, ``fields`` (the model's
    ``concurrency_fields`` unless given), the fields saying how far along each is, ``extra``
    columns, then when it was created and last updated."""
    names = list(fields if fields is not None else getattr(model, "concurrency_fields", ()))
    present = {field.name for field in model._meta.get_fields()}
    states = [name for name in STATE_FIELDS if name in present and name not in names]
    stamps = [name for name in ("created_at", "updated_at") if name in present]
    return [
        field_column(model, "id"),
        *(field_column(model, name) for name in [*names, *states]),
        *extra,
        *(field_column(model, name) for name in stamps),
    ]


def prepared(queryset: models.QuerySet[Any], columns: Sequence[Column], actor: Actor) -> Any:
    """``queryset`` with what the columns read joined or prefetched (the visible way), read
    in chunks: the number of queries does not grow with the rows."""
    related = sorted({name for column in columns for name in column.related})
    visible = sorted({name for column in columns for name in column.visible})
    if related:
        queryset = queryset.select_related(*related)
    if visible:
        queryset = queryset.with_visible(actor, *visible)  # type: ignore[attr-defined]
    return queryset.iterator(chunk_size=CHUNK)


def filename(where: Any, list_name: str, day: date) -> str:
    """``<partnership-slug-or-program>-<list>-<YYYY-MM-DD>`` (no extension): ``where`` is a
    scope (a partnership, or the program level), or the words naming what is exported."""
    if getattr(where, "is_program", False):
        place = "program"
    elif hasattr(where, "pk") and hasattr(where, "name"):
        place = slugify(where.name) or f"partnership-{where.pk}"
    else:
        place = slugify(str(where)) or "tandem"
    return f"{place}-{slugify(list_name) or 'list'}-{day.isoformat()}"


def cell(value: Any) -> Any:
    """A value as the file holds it: text, or an integer or decimal number."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        moment = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):  # 1E+2 is written 100
        return value if int(value.as_tuple().exponent) <= 0 else value.quantize(Decimal(1))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, models.Model) and hasattr(value, "get_full_name"):
        return value.get_full_name()
    return str(value)


def csv_text(value: Any) -> str:
    """A cell in CSV: numbers plainly, text that could start a formula behind an apostrophe."""
    value = cell(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class _Line:
    """What ``csv.writer`` writes to: it hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def _csv_lines(columns: Sequence[Column], rows: Iterable[Any]) -> Iterator[str]:
    writer = csv.writer(_Line())
    # The byte order mark tells Excel the file is UTF-8.
    yield "\ufeff" + writer.writerow([column.heading for column in columns])
    for row in rows:
        yield writer.writerow([csv_text(column.value(row)) for column in columns])


def _xlsx_bytes(title: str, columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=slugify(title)[:31] or "List")

    def text(value: str) -> Any:
        # Always a string: openpyxl would store "=…" as a formula.
        written = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        written.data_type = "s"
        return written

    sheet.append([text(column.heading) for column in columns])
    for row in rows:
        values = (cell(column.value(row)) for column in columns)
        sheet.append([value if not isinstance(value, str) else text(value) for value in values])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download(
    request: HttpRequest,
    where: Any,
    list_name: str,
    columns: Sequence[Column],
    rows: models.QuerySet[Any] | Iterable[Any],
) -> HttpResponse | StreamingHttpResponse:
    """A list page's export, in the ``?format=`` asked for: ``rows`` as the page's selector
    gives them to the reader (a queryset is read as ``prepared`` reads it), in a file named
    for ``where`` (a scope, or the words naming the workspace's list) and today (the
    partnership's clock)."""
    fmt = export_format(request)
    day = local_today(where) if hasattr(where, "is_program") else timezone.localdate()
    if isinstance(rows, models.QuerySet):
        rows = prepared(rows, columns, request.actor)  # type: ignore[attr-defined]
    return export_response(filename(where, list_name, day), columns, rows, fmt)


def export_response(
    name: str, columns: Sequence[Column], rows: Iterable[Any], fmt: str
) -> HttpResponse | StreamingHttpResponse:
    """The rows as a download: ``name`` is the file's name without its extension (see
    ``filename``), ``fmt`` csv (streamed as it is read) or xlsx."""
    attachment = content_disposition_header(True, f"{name}.{fmt}")
    response: HttpResponse | StreamingHttpResponse
    if fmt == XLSX:
        list_name = name.rsplit("-", 3)[0]
        response = HttpResponse(
            _xlsx_bytes(list_name, columns, rows), content_type=CONTENT_TYPES[XLSX]
        )
    else:
        response = StreamingHttpResponse(_csv_lines(columns, rows), content_type=CONTENT_TYPES[CSV])
    response["Content-Disposition"] = attachment
    response["X-Content-Type-Options"] = "nosniff"
    return response
