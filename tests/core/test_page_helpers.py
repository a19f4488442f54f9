"""The page pieces item apps share: one click posting a versioned change to one item (then
say so and go on, or say why not), form fields read from the model's numbers and times, and
a delete an item type refuses."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse
from django.test import RequestFactory

from tandem.core.errors import Conflict, InvalidInput
from tandem.core.forms import form_field
from tandem.core.item_pages import item_views
from tandem.core.views import one_click
from tandem.meetings.models import Attendee
from tandem.relationship.diligence.models import Criterion
from tandem.traction.services import TODOS


def _post(version: str = "3") -> Any:
    request = RequestFactory().post("/", {"version": version})
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


def _said(request: Any) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def _raise(error: Exception) -> Any:
    def change(version: int | None) -> Any:
        raise error

    return change


def test_a_click_changes_the_item_with_the_version_seen_then_goes_on() -> None:
    request, seen = _post(), []
    response = one_click(request, seen.append, done="Done.", then="/next/", back="/here/")
    assert (response.status_code, response["Location"], seen) == (302, "/next/", [3])
    assert _said(request) == [("success", "Done.")]


def test_a_refused_click_says_why_and_goes_back() -> None:
    request = _post()
    response = one_click(
        request, _raise(InvalidInput("Not open.")), done="x", then="/n/", back="/b/"
    )
    assert (response["Location"], _said(request)) == ("/b/", [("error", "Not open.")])
    request = _post("nope")  # a bad form: the fallback reason, back to ``then``
    response = one_click(request, _raise(AssertionError()), done="x", then="/n/", failed="No.")
    assert (response["Location"], _said(request)) == ("/n/", [("error", "No.")])


def test_a_conflict_can_say_its_own_message_and_a_refusal_answer_a_page() -> None:
    stale = Conflict("stale", current=SimpleNamespace(version=4), attempted={})
    request = _post()
    response = one_click(request, _raise(stale), done="x", then="/n/", conflict="Changed.")
    assert (response["Location"], _said(request)) == ("/n/", [("error", "Changed.")])
    page = HttpResponse(status=400)
    request = _post()
    kept = one_click(
        request, _raise(InvalidInput("No.")), done="x", then="/n/", refused=lambda: page
    )
    assert kept is page and _said(request) == [("error", "No.")]
    request = _post("nope")  # a bad form says nothing more than the page does
    assert one_click(request, print, done="x", then="/n/", refused=lambda: page) is page
    assert _said(request) == []


def test_a_number_keeps_the_models_bounds_and_a_time_is_typed_in_hours_and_minutes() -> None:
    weight = form_field(Criterion._meta.get_field("weight"))
    assert isinstance(weight, forms.IntegerField)
    assert (weight.min_value, weight.max_value, weight.initial) == (1, 10, 1)
    rating = form_field(Attendee._meta.get_field("rating"))
    assert (rating.min_value, rating.max_value, rating.required) == (1, 10, False)  # type: ignore[attr-defined]
    unbounded = form_field(models.PositiveIntegerField(name="n"))
    assert (unbounded.min_value, unbounded.max_value) == (0, None)  # type: ignore[attr-defined]
    at = form_field(models.TimeField(name="at"))
    assert isinstance(at, forms.TimeField)
    assert at.widget.render("at", time(9, 30)) == '<input type="time" name="at" value="09:30">'


def test_a_delete_can_be_refused_before_anything_is_deleted(world: Any) -> None:
    seen: list[Any] = []

    def in_use(todo: Any, actor: Any) -> None:
        seen.append((todo, actor.user))
        raise InvalidInput("A rock still points at it.")

    guarded = replace(TODOS, before_remove=in_use)
    todo, maria = world.internal_todo, world.actor(world.maria)
    with pytest.raises(InvalidInput, match="A rock still points at it."):
        guarded.remove(todo, actor=maria, version=todo.version)
    assert seen == [(todo, world.maria)] and type(todo).objects.filter(pk=todo.pk).exists()
    with pytest.raises(PermissionDenied):  # who may delete is checked first
        guarded.remove(todo, actor=world.actor(world.pat), version=todo.version)
    assert len(seen) == 1


def test_the_add_form_can_start_from_the_request(world: Any) -> None:
    class Shown(Exception):
        pass

    def context(request: Any, scope: Any, form: Any) -> dict[str, Any]:
        raise Shown(form.initial, form.is_bound)

    views = item_views(
        TODOS, app="traction", context=context, initial=lambda r, s: {"title": r.GET["t"]}
    )
    # A refused add (no title) shows the form as posted: bound, still with its starting values.
    for name, method in (("todo_list", "get"), ("todo_create", "get"), ("todo_create", "post")):
        make = RequestFactory()
        request = make.post("/?t=Call", {"title": ""}) if method == "post" else make.get("/?t=Call")
        request.user, request.actor = world.maria, world.actor(world.maria)
        request.session, request._messages = {}, CookieStorage(request)
        with pytest.raises(Shown) as shown:
            views[name](request, partnership_id=str(world.northwind.pk))
        assert shown.value.args == ({"title": "Call"}, method == "post")
