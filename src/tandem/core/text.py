"""What a person may type: names and titles are one line of visible text, bodies are text.

A title is how people tell one item from another, so characters that change how it looks
without being seen are refused rather than silently dropped (the person learns what their
paste carried). Every write reaches these rules through ``tandem.core.services.clean``; forms
and services that write outside it (sign-up, workspaces, tokens) call them directly.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tandem.core.errors import InvalidInput

# Embeddings, overrides and isolates reorder what follows them: "‮txt.exe" shows as
# "exe.txt". A single line is ordered well by the bidi algorithm without them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Zero-width joiner and non-joiner are part of writing in Persian, Arabic and the Indic
# scripts, and they build emoji sequences (👩‍💻); between Latin letters, digits or spaces they
# change nothing visible, so they are kept only after a letter of a script without case, a
# combining mark (a virama) or a symbol (see ``_joins``).
JOINERS = frozenset("\u200c\u200d")
# Tag characters spell the subdivision flags (🏴 + tags + cancel tag) and nothing else.
FLAG, CANCEL_TAG = "\U0001f3f4", "\U000e007f"
LINE_BREAKS = frozenset("\n\r\u2028\u2029\x85\x0b\x0c")
BODY_CONTROLS_ALLOWED = frozenset("\n\r\t")
# Every other format character (category Cf) is refused in a line: the zero-width space
# (U+200B), word joiner (U+2060), byte-order mark (U+FEFF), soft hyphen (U+00AD), and also
# the left-to-right and right-to-left marks (U+200E, U+200F, U+061C). The marks cannot
# reorder letters as an override can, but they are invisible, so "Acme" and "Acme" + RLM
# would be two titles that look the same; titles are shown in their own element, where the
# bidi algorithm already places a single line of mixed text.


def tidy(value: str) -> str:
    """One spelling for what looks the same (NFC), without surrounding whitespace."""
    return unicodedata.normalize("NFC", value).strip()


def _joins(text: str, index: int) -> bool:
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if not before or not after or after.isspace() or after in JOINERS:
        return False
    return unicodedata.category(before) in {"Lo", "Mn", "Mc", "So", "Sk"}


def _in_flag(text: str, index: int) -> bool:
    start = index
    while start > 0 and "\U000e0020" <= text[start - 1] <= CANCEL_TAG:
        start -= 1
    return start > 0 and text[start - 1] == FLAG


def _named(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '').lower()}".strip()


def line_problem(text: str) -> str | None:
    """Why ``text`` cannot be a name or a title, or None when it can."""
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if char in BIDI_CONTROLS:
            return (
                f"Remove the text-direction control ({_named(char)}): it makes text show in"
                " a different order than it was typed."
            )
        if char == "\x00":
            return "Null characters are not allowed."
        if char in LINE_BREAKS or category == "Cc":
            return "Keep it to one line, without control characters."
        if category == "Cs":
            return "This holds a broken character; type it again."
        if char in JOINERS and _joins(text, index):
            continue
        if "\U000e0020" <= char <= CANCEL_TAG and _in_flag(text, index):
            continue
        if category == "Cf":
            return (
                f"Remove the invisible character ({_named(char)}): it can make one name look"
                " like another."
            )
    return None


def body_problem(text: str) -> str | None:
    """Why ``text`` cannot be a multi-line body (notes, descriptions), or None."""
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc" and char not in BODY_CONTROLS_ALLOWED:
            if char == "\x00":
                return "Null characters are not allowed."
            return f"Remove the control character ({_named(char)})."
        if category == "Cs":
            return "This holds a broken character; type it again."
    return None


def line(field: str, value: str, *, label: str | None = None) -> str:
    """``value`` tidied, or InvalidInput naming ``field`` — for services writing outside
    ``core.services.clean``."""
    value = tidy(value or "")
    problem = line_problem(value)
    if problem:
        raise InvalidInput.on(field, f"{(label or field).capitalize()}: {problem}")
    return value


def validate_line(value: Any) -> None:
    """Django validator for single-line form fields."""
    problem = line_problem(str(value))
    if problem:
        raise ValidationError(problem, code="invisible")


class LineField(forms.CharField):
    """A name or title typed into a form: NFC, trimmed, one line of visible text."""

    default_validators = [validate_line]

    def to_python(self, value: Any) -> str:
        return tidy(super().to_python(value) or "")
