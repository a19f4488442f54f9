"""Formulas of other measurables: a tokenizer and a recursive-descent parser (never eval).

People write other measurables of the same scorecard by name in braces, or by number:
``{Leads referred} / {Meetings held} * 100`` or ``{#12} / {#13} * 100``. Operators are
``+ - * /`` (also ``− × ÷``) with the usual precedence, unary minus, and parentheses. The
formula is stored with ids (``{#12}``) so renaming a measurable keeps it working, and shown
with the current names.

Grammar::

    expr   := term (("+" | "-") term)*
    term   := factor (("*" | "/") factor)*
    factor := "-" factor | NUMBER | REF | "(" expr ")"

A result is missing when any operand is missing or a division is by zero: a missing number
on the scorecard is shown as missing, never as zero.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation
from typing import Any

MAX_LENGTH = 500
MAX_DEPTH = 50

Node = tuple[Any, ...]  # ("num", Decimal) | ("ref", int) | ("neg", Node) | (op, Node, Node)

_SYMBOLS = {
    "+": "+",
    "-": "-",
    "*": "*",
    "/": "/",
    "−": "-",
    "×": "*",
    "÷": "/",
    "(": "(",
    ")": ")",
}
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")


class FormulaError(ValueError):
    """A formula that cannot be used, with a message a person can act on."""


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "ref", "op", "(", ")"
    text: str
    position: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
        elif char in _SYMBOLS:
            symbol = _SYMBOLS[char]
            kind = symbol if symbol in "()" else "op"
            tokens.append(Token(kind, symbol, index))
            index += 1
        elif char == "{":
            end = text.find("}", index + 1)
            if end == -1:
                raise FormulaError(f"A “{{” at position {index + 1} is never closed with “}}”.")
            name = text[index + 1 : end].strip()
            if not name:
                raise FormulaError("Name a measurable between the braces, e.g. {Leads}.")
            tokens.append(Token("ref", name, index))
            index = end + 1
        elif match := _NUMBER.match(text, index):
            tokens.append(Token("num", match.group(), index))
            index = match.end()
        else:
            raise FormulaError(
                f"“{char}” at position {index + 1} is not allowed: use numbers, {{names}},"
                " + − × ÷ and parentheses."
            )
    return tokens


class _Parser:
    def __init__(self, tokens: list[Token], resolve: Callable[[str], int]) -> None:
        self.tokens = tokens
        self.index = 0
        self.resolve = resolve
        self.depth = 0

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise FormulaError("The formula ends too early: something is missing at the end.")
        self.index += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise FormulaError("The formula is empty.")
        node = self.expr()
        extra = self.peek()
        if extra is not None:
            raise FormulaError(f"Unexpected “{extra.text}” at position {extra.position + 1}.")
        return node

    def expr(self) -> Node:
        node = self.term()
        while (token := self.peek()) is not None and token.kind == "op" and token.text in "+-":
            self.index += 1
            node = (token.text, node, self.term())
        return node

    def term(self) -> Node:
        node = self.factor()
        while (token := self.peek()) is not None and token.kind == "op" and token.text in "*/":
            self.index += 1
            node = (token.text, node, self.factor())
        return node

    def factor(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError("The formula is nested too deeply.")
        try:
            token = self.take()
            if token.kind == "op" and token.text == "-":
                return ("neg", self.factor())
            if token.kind == "num":
                return ("num", Decimal(token.text))
            if token.kind == "ref":
                return ("ref", self.resolve(token.text))
            if token.kind == "(":
                node = self.expr()
                closing = self.take()
                if closing.kind != ")":
                    raise FormulaError(
                        f"Expected “)” at position {closing.position + 1}, found “{closing.text}”."
                    )
                return node
            raise FormulaError(f"Unexpected “{token.text}” at position {token.position + 1}.")
        finally:
            self.depth -= 1


def _by_id(name: str) -> int:
    if name.startswith("#") and name[1:].isascii() and name[1:].isdigit():
        return int(name[1:])
    raise FormulaError(f"Unknown measurable {{{name}}}.")


def parse(text: str, resolve: Callable[[str], int] = _by_id) -> Node:
    """The tree of a formula; ``resolve`` turns a name in braces into a measurable's id."""
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"Keep the formula under {MAX_LENGTH} characters.")
    return _Parser(tokenize(text), resolve).parse()


def references(node: Node) -> set[int]:
    kind = node[0]
    if kind == "ref":
        return {node[1]}
    if kind == "num":
        return set()
    if kind == "neg":
        return references(node[1])
    return references(node[1]) | references(node[2])


def render(
    node: Node, name: Callable[[int], str], parent: int = 0, *, for_reading: bool = False
) -> str:
    """The formula as text, with the fewest parentheses that keep its meaning: as typed
    ("{Deals won} / {Leads} * 100"), or ``for_reading`` ("Deals won ÷ Leads × 100")."""
    kind = node[0]
    if kind == "num":
        return str(node[1])
    if kind == "ref":
        return name(node[1]) if for_reading else "{" + name(node[1]) + "}"
    if kind == "neg":
        sign = _READ["-"] if for_reading else "-"
        return sign + render(node[1], name, 3, for_reading=for_reading)
    level = 1 if kind in "+-" else 2
    left = render(node[1], name, level, for_reading=for_reading)
    # The right operand of - and / keeps its parentheses at the same level: a - (b - c).
    right = render(node[2], name, level + (1 if kind in "-/" else 0), for_reading=for_reading)
    text = f"{left} {_READ[kind] if for_reading else kind} {right}"
    return f"({text})" if level < parent else text


# The signs a business reader knows, for the formula shown beside a measurable.
_READ = {"+": "+", "-": "−", "*": "×", "/": "÷"}


def canonical(node: Node) -> str:
    return render(node, lambda pk: f"#{pk}")


def evaluate(node: Node, values: Mapping[int, Decimal | None]) -> Decimal | None:
    """The value of a formula; None when an operand is missing or a division is by zero."""
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "ref":
        return values.get(node[1])
    if kind == "neg":
        inner = evaluate(node[1], values)
        return None if inner is None else -inner
    left = evaluate(node[1], values)
    right = evaluate(node[2], values)
    if left is None or right is None:
        return None
    try:
        if kind == "+":
            return left + right
        if kind == "-":
            return left - right
        if kind == "*":
            return left * right
        if right == 0:
            return None
        return left / right
    except (DivisionByZero, InvalidOperation, OverflowError):
        return None


def find_cycle(start: int, edges: Mapping[int, Iterable[int]]) -> bool:
    """Whether following formula references from ``start`` comes back to it."""
    seen: set[int] = set()
    stack = list(edges.get(start, ()))
    while stack:
        current = stack.pop()
        if current == start:
            return True
        if current in seen:
            continue
        seen.add(current)
        stack.extend(edges.get(current, ()))
    return False
