"""An item type's API schemas, read from its model: what it sends (``Out``), what a create
takes (``In``) and what a change takes (``Patch``: the same fields, each optional, and the
version read). One model field makes one schema field:

- a field with choices: one of its values; ``visibility``: shared or internal;
- a short text (``CharField``): stripped, at most its length, not empty unless blank;
- a long text (``TextField``): at most its length;
- a date: a ``Day`` (2000–2100); a yes/no: a strict boolean; a whole number: at least 0;
- ``owner``: ``owner_id`` in (a person's id, or null), ``owner`` out (id, name, e-mail);
- any other foreign key (another item, say a rock's ``goal``): ``goal_id`` in and out (its
  id, or null); ``item_api`` swaps the id for the item the caller sees (``item_from``).

A type whose field needs more says so in ``fields=`` (name → type, or type and default).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.contrib.auth import get_user_model
from django.db import models
from ninja import Schema
from pydantic import Field, StrictBool, StringConstraints, create_model

from tandem.core.api.schemas import VISIBLE, PersonOut, Version, VisibilityValue
from tandem.core.ids import Id
from tandem.core.params import Day

REQUIRED = ...
PersonId = Annotated[int, Field(ge=1, le=2**63 - 1, description="A person's id; null for nobody.")]


def references(model: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """Of ``names``, the foreign keys to another item (not a person), by name → its model."""
    found = {}
    for name in names:
        field = model._meta.get_field(name)
        if isinstance(field, models.ForeignKey) and field.related_model is not get_user_model():
            found[name] = field.related_model
    return found


def _choices(field: models.Field[Any, Any]) -> Any:
    return Literal[tuple(value for value, _ in field.flatchoices)]


def _default(field: models.Field[Any, Any]) -> Any:
    if field.has_default():
        default = field.get_default()
        return default if not callable(default) else REQUIRED
    if field.null:
        return None
    if field.blank and isinstance(field, (models.CharField, models.TextField)):
        return ""
    return REQUIRED


def input_type(field: models.Field[Any, Any]) -> Any:
    """The type a create accepts for ``field``."""
    if field.name == "visibility":
        return VisibilityValue
    if field.choices:
        return _choices(field)
    if isinstance(field, models.BooleanField):
        return StrictBool
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return Day | None if field.null else Day
    if isinstance(field, models.TextField):
        return Annotated[str, StringConstraints(max_length=field.max_length)]
    if isinstance(field, models.CharField):
        return Annotated[
            str,
            StringConstraints(
                strip_whitespace=True,
                min_length=0 if field.blank else 1,
                max_length=field.max_length,
                pattern=None if field.blank else VISIBLE,  # spaces alone are no text
            ),
        ]
    if isinstance(field, (models.PositiveIntegerField, models.PositiveSmallIntegerField)):
        return Annotated[int, Field(ge=0, le=2**31 - 1)]
    raise TypeError(f"Say the API type of {field.model.__name__}.{field.name} in fields=")


def output_type(field: models.Field[Any, Any]) -> Any:
    if field.name == "visibility":
        return str
    if field.choices:
        return _choices(field)
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.DateTimeField):
        return dt.datetime | None if field.null else dt.datetime
    if isinstance(field, models.DateField):
        return dt.date | None if field.null else dt.date
    if isinstance(field, (models.CharField, models.TextField)):
        return str
    if isinstance(field, models.IntegerField):
        return int
    raise TypeError(f"Say the API type of {field.model.__name__}.{field.name} in fields=")


def _described(kind: Any, field: models.Field[Any, Any], type_: Any) -> Any:
    text = str(field.help_text or "")
    return Annotated[type_, Field(description=text)] if text else type_


def schemas(
    kind: Any,
    *,
    name: str = "",
    fields: dict[str, Any] | None = None,
    out: type[Schema] | None = None,
    out_fields: dict[str, Any] | None = None,
) -> tuple[type[Schema], type[Schema], type[Schema]]:
    """``(Out, In, Patch)`` for ``kind`` (an item type, or a model: its ``concurrency_fields``),
    named ``<name>Out`` … (default: the model's name); ``fields`` overrides a field's input
    type (or its type and default, as a pair); ``out_fields`` a field's output type (a
    choice sent as ``str``); ``out`` replaces the derived output."""
    model, overrides, shows = getattr(kind, "model", kind), fields or {}, out_fields or {}
    prefix = name or model.__name__
    names = kind.fields if hasattr(kind, "fields") else model.concurrency_fields
    inputs: dict[str, Any] = {}
    outputs: dict[str, Any] = {"id": (int, REQUIRED)}
    referred = references(model, names)
    for key in names:
        field = model._meta.get_field(key)
        if key == "owner":
            inputs["owner_id"] = (PersonId | None, None)
            outputs["owner"] = (PersonOut | None, REQUIRED)
            continue
        if key in referred and key not in overrides:
            inputs[f"{key}_id"] = (_described(kind, field, Id | None), None)
            outputs[f"{key}_id"] = (int | None, REQUIRED)
            continue
        given = overrides.get(key)
        if isinstance(given, tuple):
            inputs[key] = given
        else:
            inputs[key] = (_described(kind, field, given or input_type(field)), _default(field))
        if out is None:
            shown = shows[key] if key in shows else output_type(field)
            outputs[key] = (_described(kind, field, shown), REQUIRED)
    outputs["version"] = (int, REQUIRED)
    created = create_model(f"{prefix}In", __base__=Schema, **inputs)
    patch = create_model(  # type: ignore[call-overload]
        f"{prefix}Patch",
        __base__=Schema,
        version=(Version, REQUIRED),
        **{name: (type_ | None, None) for name, (type_, _) in inputs.items()},
    )
    sent = out or create_model(f"{prefix}Out", __base__=Schema, **outputs)
    return sent, created, patch


def filter_schema(model: Any, names: tuple[str, ...]) -> type[Schema]:
    """Query parameters that filter a list of ``model`` by ``names``: each optional, of the
    type the API shows the field as (one of its choices …)."""
    types = {name: output_type(model._meta.get_field(name)) for name in names}
    fields: dict[str, Any] = {name: (type_ | None, None) for name, type_ in types.items()}
    return create_model("Filters", __base__=Schema, **fields)
