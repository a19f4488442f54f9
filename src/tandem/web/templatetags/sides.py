"""Template access to the side-naming helper (tandem.core.sides), so a template names a side
for whoever reads it without each view passing the names along."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template

from tandem.core.sides import SideName, side_name, sides_for

if TYPE_CHECKING:
    from tandem.core.scope import Scope

register = template.Library()


@register.simple_tag(takes_context=True)
def partnership_sides(context: Any, partnership: Scope) -> dict[str, SideName]:
    """``{% partnership_sides partnership as sides %}``: ``sides.ours``, ``sides.partner``,
    ``sides.mine``, ``sides.theirs``, each named from the requesting person's side."""
    return sides_for(context["request"].actor, partnership)


@register.filter
def does(side: SideName, verb: str) -> str:
    """``{{ side|does:"provide" }}`` → "we provide" or "Northwind provides"."""
    return side.does(verb)


@register.simple_tag(takes_context=True)
def side_named(context: Any, side: str, partnership: Scope) -> SideName:
    """``{% side_named seat.side partnership as side %}``: one side, named for the reader."""
    return side_name(side, context["request"].actor, partnership)
