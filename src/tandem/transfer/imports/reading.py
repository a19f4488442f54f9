"""Reading a CSV file as CRMs export it: encoding, delimiter, rows, dates and amounts.

HubSpot, Salesforce and Pipedrive are the examples: UTF-8 with or without a byte-order mark,
Windows-1252 from older Excel, commas, semicolons (Europe) or tabs, quoted fields with line
breaks, dates in ISO, US and European forms, amounts with thousands separators and currency
signs. Nothing here touches the database; the check (``checking``) calls these once per row
of files up to a million rows, so the per-row functions keep to a fast path for the common
shapes.

A date column whose values read both as US and European dates (03/04/2026) is ambiguous:
``date_forms`` says so and the person is asked; this module never picks one.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

from tandem.core.errors import InvalidInput

MAX_BYTES = 200 * 1024 * 1024  # uploads over this are refused

ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (with byte-order mark)",
    "cp1252": "Windows-1252",
}
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
# What the person is shown when a date column is ambiguous (or to name the form in an error).
DATE_FORMS = {
    "iso": "YYYY-MM-DD (2026-03-04)",
    "us": "US, month first: MM/DD/YYYY (03/04/2026 is March 4, 2026)",
    "eu": "European, day first: DD/MM/YYYY (03/04/2026 is 3 April 2026)",
}
SAMPLE_ROWS = 5

_CHUNK = 1 << 20
_SNIFF_CHARS = 64 * 1024
_MB = 1024 * 1024


@dataclass(frozen=True)
class Sniffed:
    encoding: str  # "utf-8", "utf-8-sig" or "cp1252" (detected, or as chosen)
    delimiter: str  # ",", ";" or "\t"
    header: list[str]  # column names, stripped; duplicates made unique ("Amount", "Amount (2)")
    sample: list[list[str]]  # the first 5 data rows, for the preview


def _refuse(message: str) -> InvalidInput:
    # The message is both the problem's detail (API) and the upload field's error (page).
    return InvalidInput(message, errors={"file": [message]})


# --- the file as a whole ------------------------------------------------------------------

_SIGNATURES = (
    (b"PK\x03\x04", "This is an Excel workbook or another zip archive, not a CSV file. "),
    (b"\xd0\xcf\x11\xe0", "This is an old Excel workbook (.xls), not a CSV file. "),
    (b"%PDF", "This is a PDF document, not a CSV file. "),
    (b"\x1f\x8b", "This is a compressed (gzip) file, not a CSV file. "),
)
_SAVE_AS = "In Excel or your CRM, export or save it as “CSV UTF-8” and upload that file."
_UTF16 = (
    "This file is saved as UTF-16 (Excel's “Unicode Text”), which cannot be read here. " + _SAVE_AS
)
# Control characters that never appear in text (tab, line breaks, form feed and the old DOS
# end-of-file mark do).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 26))


def _megabytes(size: int) -> str:
    return f"{-(-size * 10 // _MB) / 10:.1f} MB"


def _check_bytes(path: Path) -> bytes:
    """The file's first bytes, once the file is known not to be empty, too big or binary."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise _refuse(
            f"The file is {_megabytes(size)}; files up to {MAX_BYTES // _MB} MB can be "
            "imported. Split it, or export fewer columns."
        )
    with path.open("rb") as f:
        head = f.read(8192)
    if size <= len(head) and not head.lstrip(codecs.BOM_UTF8).strip():
        raise _refuse("The file is empty.")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _refuse(_UTF16)
    for signature, message in _SIGNATURES:
        if head.startswith(signature):
            raise _refuse(message + _SAVE_AS)
    if b"\x00" in head:
        # UTF-16 without a byte-order mark: every other byte of ASCII text is zero.
        if head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4:
            raise _refuse(_UTF16)
        raise _refuse("This is a binary file, not a CSV file (text). " + _SAVE_AS)
    if len(head.translate(None, _CONTROL)) < len(head) * 0.98:
        raise _refuse("This is a binary file, not a CSV file (text). " + _SAVE_AS)
    return head


def _decodes(path: Path, encoding: str) -> tuple[int, str] | None:
    """None when the whole file decodes; else the line and the bytes where it stops.

    A pass over the file (about a second for 200 MB) so that an import never stops halfway
    on a character the first kilobytes did not show.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    lines = 0
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            if b"\x00" in chunk:
                line = lines + 1 + chunk.count(b"\n", 0, chunk.index(b"\x00"))
                raise _refuse(
                    f"This is a binary file, not a CSV file: line {line:,} holds a zero byte. "
                    + _SAVE_AS
                )
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                # error.object is what the decoder held over from the last chunk, then this one.
                at = min(max(error.start, 0), len(chunk))
                held = error.object[error.start : error.end]
                return lines + 1 + chunk.count(b"\n", 0, at), f"the byte 0x{held[0]:02X}"
            lines += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return lines + 1, "a character cut off at the end"
    return None


def _encoding(path: Path, head: bytes, chosen: str | None, *, verified: bool = False) -> str:
    bom = head.startswith(codecs.BOM_UTF8)
    if chosen is not None:
        try:
            name = codecs.lookup(chosen).name
        except LookupError:
            name = ""
        if name not in ("utf-8", "utf-8-sig", "cp1252"):
            raise _refuse(f"Choose UTF-8 or Windows-1252 as the file's encoding, not “{chosen}”.")
        if name == "utf-8" and bom:
            name = "utf-8-sig"
        failure = None if verified else _decodes(path, name)
        if failure:
            line, what = failure
            other = "Windows-1252" if name.startswith("utf-8") else "UTF-8"
            raise _refuse(
                f"The file is not {ENCODINGS[name]} text: line {line:,} holds {what}, "
                f"which that encoding does not have. Try {other}."
            )
        return name
    if bom:
        if _decodes(path, "utf-8-sig") is None:
            return "utf-8-sig"
    elif _decodes(path, "utf-8") is None:
        return "utf-8"
    # Not UTF-8: text from older Excel on Windows, where é is the single byte 0xE9.
    if _decodes(path, "cp1252") is None:
        return "cp1252"
    raise _refuse(
        "The file is not text in UTF-8 or Windows-1252, the encodings CRMs export. " + _SAVE_AS
    )


def _excel_separator(line: str) -> str | None:
    """The delimiter named by Excel's optional first line ``sep=;``, else None."""
    text = line.lstrip("\ufeff").rstrip("\r\n")
    if len(text) == 5 and text.lower().startswith("sep=") and text[4] in DELIMITERS:
        return text[4]
    return None


def _guess_delimiter(sample: str, truncated: bool) -> str:
    """The delimiter that splits the sample's rows into as many cells as its header has.

    csv.Sniffer gives up ("Could not determine delimiter") or picks a wrong one on exports
    where European decimal commas sit unquoted in semicolon files; the consistent cell count
    over the first rows is the sturdier sign.
    """
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        try:
            parsed = [
                row
                for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
                if any(row)
            ]
        except csv.Error:
            continue
        if truncated and len(parsed) > 1:
            parsed.pop()  # cut at the sample's end
        if not parsed or len(parsed[0]) < 2:
            continue
        width = len(parsed[0])
        body = parsed[1:]
        agreeing = sum(1 for row in body if len(row) == width) / len(body) if body else 1.0
        score = (agreeing, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _unique_header(cells: list[str]) -> list[str]:
    header: list[str] = []
    seen: set[str] = set()
    for position, cell in enumerate(cells, start=1):
        name = cell.strip().lstrip("\ufeff").strip() or f"Column {position}"
        unique, n = name, 1
        while unique in seen:
            n += 1
            unique = f"{name} ({n})"
        seen.add(unique)
        header.append(unique)
    return header


def sniff(
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    verified: bool = False,
) -> Sniffed:
    """How to read ``path``: its encoding and delimiter (detected unless chosen), header, sample.

    Raises InvalidInput, with a message a person can act on, for a file over MAX_BYTES, an
    empty file, a binary file (an Excel workbook, a PDF …), a file that is not text in any of
    the encodings, and a header with no data row. ``verified``: the whole file was found to be
    text in ``encoding`` when it was uploaded, so it is not read through again (a pass over
    200 MB takes a second; the mapping page reads the file's first rows each time it shows).
    """
    head = _check_bytes(path)
    encoding = _encoding(path, head, encoding, verified=verified and encoding is not None)
    if delimiter is not None and delimiter not in DELIMITERS:
        raise _refuse("Choose a comma, a semicolon or a tab as the delimiter.")
    with path.open(encoding=encoding, newline="") as f:
        text = f.read(_SNIFF_CHARS)
        truncated = bool(f.read(1))
    first_line = text.split("\n", 1)[0]
    if (named := _excel_separator(first_line)) is not None:
        delimiter = delimiter or named
        text = text[len(first_line) + 1 :]
    if delimiter is None:
        delimiter = _guess_delimiter(text, truncated)
    provisional = Sniffed(encoding=encoding, delimiter=delimiter, header=[], sample=[])
    header: list[str] | None = None
    sample: list[list[str]] = []
    records = _records(path, provisional)
    try:
        for _line, cells in records:
            if header is None:
                header = _unique_header(cells)
                continue
            sample.append(cells)
            if len(sample) == SAMPLE_ROWS:
                break
    finally:
        records.close()
    if header is None:
        raise _refuse("The file is empty.")
    if not sample:
        raise _refuse("The file has a header row but no data rows.")
    return Sniffed(encoding=encoding, delimiter=delimiter, header=header, sample=sample)


def _records(path: Path, sniffed: Sniffed) -> Generator[tuple[int, list[str]], None, None]:
    """Every non-blank record, header included, with the line it starts on (first line = 1)."""
    with path.open(encoding=sniffed.encoding, newline="") as f:
        offset, start = 0, 1
        try:  # the file was checked when uploaded, but it is read again from the disk
            if _excel_separator(f.readline()) is not None:
                offset = 1
            else:
                f.seek(0)
            reader = csv.reader(f, delimiter=sniffed.delimiter)
            for cells in reader:
                if any(cells):  # blank lines and rows of empty cells (",,,") are not records
                    yield start + offset, cells
                start = reader.line_num + 1
        except csv.Error as error:
            raise _refuse(
                f"Line {start + offset:,} cannot be read: {error}. A quote that is opened "
                "and never closed does this."
            ) from error
        except UnicodeDecodeError as error:
            raise _refuse(
                f"Near line {start + offset:,} the file is not "
                f"{ENCODINGS.get(sniffed.encoding, sniffed.encoding)} text."
            ) from error


# Salesforce's report export ends with a copyright line, a confidentiality line, who
# generated it and the company: not data.
_SALESFORCE_FOOTER = re.compile(r"Copyright \(c\) \d{4}-\d{4} salesforce\.com", re.IGNORECASE)


def rows(path: Path, sniffed: Sniffed) -> Iterator[tuple[int, list[str]]]:
    """The data rows as (line number of the row's first line, header = 1; cells).

    Streams (constant memory for any size); a quoted field with line breaks is one row and
    the next row's number counts those lines. Blank lines are skipped, and so is the footer
    of a Salesforce report export. A row with another number of cells than the header is
    yielded as it is: the check reports it.
    """
    records = _records(path, sniffed)
    try:
        for _header in records:
            break
        for line, cells in records:
            if len(cells) == 1 and _SALESFORCE_FOOTER.match(cells[0]):
                return
            yield line, cells
    finally:
        records.close()


# --- dates --------------------------------------------------------------------------------

_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})")
_YEAR_MONTH_DAY = re.compile(r"(\d{4})([/.-])(\d{1,2})\2(\d{1,2})")
# A time after the date (exports of date-time fields); the date is what is read.
_TIME = re.compile(
    r"[ T]\s*\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?"
    r"\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
)


def _split_time(value: str) -> str:
    """``value`` without a time after its date (2026-03-04T10:00Z, 3/4/2026 10:00 AM)."""
    cut = value.find(" ")
    if cut < 0:
        cut = value.find("T")
    if cut > 0 and _TIME.fullmatch(value, cut):
        return value[:cut].rstrip()
    return value


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # as strptime's %y reads two digits
        year += 2000 if year < 69 else 1900
    return year


def parse_date(value: str, form: str) -> date:
    """The date ``value`` names when read in ``form`` ("iso", "us" or "eu").

    A time after the date is allowed and dropped; two-digit years are 1969–2068. Raises
    ValueError with the reason otherwise.
    """
    if len(value) == 10 and form == "iso" and value[4] == "-" and value[7] == "-":
        try:  # the fast path: most CRMs export 2026-03-04
            return date.fromisoformat(value)
        except ValueError:
            pass
    return _parse_date(value, form)


# A column holds a few thousand distinct dates at most (close dates cluster), so a million
# rows mostly find theirs here. Dates are immutable; errors are not cached.
@lru_cache(maxsize=8192)
def _parse_date(value: str, form: str) -> date:
    text = value.strip()
    if not text:
        raise ValueError("no date given")
    if form not in DATE_FORMS:
        raise ValueError(f"unknown date form “{form}”")
    part = text if len(text) <= 10 else _split_time(text)
    if form == "iso":
        match = _YEAR_MONTH_DAY.fullmatch(part)
        if match is None:
            raise ValueError(f"“{text}” is not a date in the form YYYY-MM-DD")
        year, month, day = int(match[1]), int(match[3]), int(match[4])
    else:
        match = _DAY_MONTH_YEAR.fullmatch(part)
        if match is None or (form == "us" and match[2] == "."):
            shape = "MM/DD/YYYY" if form == "us" else "DD/MM/YYYY"
            raise ValueError(f"“{text}” is not a date in the form {shape}")
        first, second = int(match[1]), int(match[3])
        month, day = (first, second) if form == "us" else (second, first)
        year = _year(match[4])
    if not 1 <= month <= 12:
        raise ValueError(f"“{text}” has no month {month} when read as {_short(form)}")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(
            f"“{text}” is not a day of the calendar when read as {_short(form)}"
        ) from None


def _short(form: str) -> str:
    return {"iso": "YYYY-MM-DD", "us": "MM/DD/YYYY", "eu": "DD/MM/YYYY"}[form]


def date_forms(values: Iterable[str]) -> set[str]:
    """The forms among "iso", "us" and "eu" that read every non-empty value.

    More than one (03/04/2026 and 05/06/2026 alone) means the column is ambiguous: ask. None
    means the column does not hold dates. A column of empty cells reads in every form.
    """
    remaining = set(DATE_FORMS)
    for value in values:
        if not remaining:
            break
        if not value or value.isspace():
            continue
        for form in tuple(remaining):
            try:
                parse_date(value, form)
            except ValueError:
                remaining.discard(form)
    return remaining


# --- amounts ------------------------------------------------------------------------------

_PLAIN = re.compile(r"-?\d+(?:\.\d{1,2})?")
# Salesforce's and HubSpot's shape: -$1,234.56 (dollar sign and thousands commas optional).
_DOLLARS = re.compile(r"(-?)(\$?)([1-9]\d{0,2}(?:,\d{3})+|\d+)(\.\d{1,2})?")
_AMOUNT = re.compile(
    r"""
    (?P<sign1>[-+\u2212])?\s*
    (?P<cur1>[^\d\s+\-\u2212.,()'\u2019]+)?\s*
    (?P<sign2>[-+\u2212])?\s*
    (?P<number>[.,]?\d(?:[\d.,'\u2019\s]*\d)?)
    \s*(?P<cur2>[^\d\s+\-\u2212.,()'\u2019]+)?
    \s*(?P<sign3>[-\u2212])?
    """,
    re.VERBOSE,
)
# Digits in groups: 1,234,567, Indian 12,34,567, 1 234 567, Swiss 1'234'567; one separator.
_GROUPED = re.compile(r"\d{1,3}(?:([,.'\u2019\s])(?:\d{2,3}\1)*\d{3})?")
# Signs a CRM puts beside amounts. "$" alone is read as US dollars, as HubSpot and Salesforce
# mean it; "kr" is Danish, Norwegian or Swedish: the amount is read, the currency not.
_SYMBOLS: dict[str, str | None] = {
    "$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "JP¥": "JPY", "CN¥": "CNY",
    "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS", "₫": "VND", "฿": "THB",
    "₱": "PHP", "₴": "UAH", "zł": "PLN", "Kč": "CZK", "Ft": "HUF", "R$": "BRL", "CA$": "CAD",
    "C$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD",
    "MX$": "MXN", "kr": None,
}  # fmt: skip


@cache
def _iso_currencies() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def _currency(token: str, text: str) -> str | None:
    if token in _SYMBOLS:
        return _SYMBOLS[token]
    code = token.upper()
    if len(code) == 3 and code in _iso_currencies():
        return code
    raise ValueError(f"“{text}” is not an amount: “{token}” is not a currency")


def _digits(integer: str) -> str | None:
    """The digits of ``integer`` without its thousands separators, or None when they do not
    sit where thousands separators belong."""
    if integer.isdigit():
        return integer
    match = _GROUPED.fullmatch(integer)
    return None if match is None else integer.replace(match[1], "")


def parse_amount(value: str, *, decimal: str | None = None) -> tuple[Decimal, str | None]:
    """The amount and its currency code (None when the value names none).

    "$1,234.56" → (1234.56, "USD"); "1.234,56 €" → (1234.56, "EUR"); "EUR 1 234,56";
    "(1,200.00)" → -1200; "1234" → (1234, None). ``decimal`` ("." or ",") is the column's
    decimal mark when known (see ``decimal_marks``); without it a lone separator followed by
    three digits (1,234 or 1.234) is read as a thousands separator, as in amounts it nearly
    always is. Raises ValueError with the reason otherwise.
    """
    if _PLAIN.fullmatch(value) and (decimal != "," or "." not in value):
        return Decimal(value), None
    if decimal != "," and (match := _DOLLARS.fullmatch(value)):
        sign, dollar, integer, fraction = match.groups()
        amount = Decimal(f"{sign}{integer.replace(',', '')}{fraction or ''}")
        return amount, "USD" if dollar else None
    return _parse_amount(value, decimal)


@lru_cache(maxsize=8192)  # round amounts repeat; the results are immutable
def _parse_amount(value: str, decimal: str | None) -> tuple[Decimal, str | None]:
    text = value.strip()
    if not text:
        raise ValueError("no amount given")
    negative = False
    inner = text
    if inner[0] == "(" and inner[-1] == ")":
        negative, inner = True, inner[1:-1].strip()
    match = _AMOUNT.fullmatch(inner)
    if match is None:
        raise ValueError(f"“{text}” is not an amount")
    sign1, cur1, sign2, number, cur2, sign3 = match.groups()
    sign = sign1 or sign2 or sign3
    if sign and (negative or bool(sign1) + bool(sign2) + bool(sign3) > 1):
        raise ValueError(f"“{text}” has more than one sign")
    negative = negative or (sign is not None and sign != "+")
    if cur1 and cur2:
        raise ValueError(f"“{text}” names two currencies")
    token = cur1 or cur2
    currency = _currency(token, text) if token else None

    if decimal is None:
        last_comma, last_dot = number.rfind(","), number.rfind(".")
        if last_comma >= 0 and last_dot >= 0:
            decimal = "," if last_comma > last_dot else "."
        elif last_comma >= 0 or last_dot >= 0:
            mark = "," if last_comma >= 0 else "."
            before, _, after = number.rpartition(mark)
            grouped = (
                len(after) == 3 and before[:1] != "0" and _GROUPED.fullmatch(number) is not None
            )
            decimal = None if grouped else mark  # 1,234 and 1.234 are thousands; 1,5 is not
    elif decimal not in (".", ","):
        raise ValueError(f"unknown decimal mark “{decimal}”")
    integer, fraction = number, ""
    if decimal is not None and decimal in number:
        integer, _, fraction = number.rpartition(decimal)
        if not fraction.isdigit():
            raise ValueError(f"“{text}” is not an amount with “{decimal}” as decimal mark")
    digits = _digits(integer) if integer else "0"
    if digits is None or (decimal is not None and decimal in integer):
        raise ValueError(f"“{text}” has its thousands separators in the wrong places")
    amount = f"{digits}.{fraction}" if fraction else digits
    return Decimal(f"-{amount}" if negative else amount), currency


def parse_number(value: str, *, decimal: str | None = None) -> Decimal:
    """A number that is not money (a scorecard value, hours per week), read as ``parse_amount``
    reads amounts, a currency sign allowed and dropped, except that without a known decimal
    mark a lone point is a decimal point: 1.375 is a ratio, not 1,375, where an amount of
    1.375 would be thousands. Raises ValueError with the reason."""
    if decimal is None and "," not in value and value.count(".") == 1:
        decimal = "."
    return parse_amount(value, decimal=decimal)[0]


def decimal_marks(values: Iterable[str]) -> set[str]:
    """The decimal marks ("." and ",") with which every non-empty value reads as an amount.

    {","} for a Pipedrive column of 1.234,56 and 12,50; {"."} for 1,234.56; both when
    every value reads either way (whole numbers, or only 1,234-like values); none when the
    column does not hold amounts. Pass a lone mark to ``parse_amount(decimal=…)``.
    """
    remaining = {".", ","}
    for value in values:
        if not remaining:
            break
        if not value or value.isspace():
            continue
        for mark in tuple(remaining):
            try:
                parse_amount(value, decimal=mark)
            except ValueError:
                remaining.discard(mark)
    return remaining
