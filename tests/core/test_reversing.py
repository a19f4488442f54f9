"""``{% url %}`` writes most links without Django's reverse: for every route of the site, with
ids, words and awkward values, what it writes must be what Django writes (or it must leave the
case to Django)."""

from __future__ import annotations

import itertools

from django.template import Context, Template
from django.urls import NoReverseMatch, get_resolver, reverse

from tandem.core.reversing import quick_reverse

VALUES = [1, 42, "7", "program", "a b", "ü", "x%y", "", "a/b", "-1", "²", True, None, 10**12]


def _names() -> list[tuple[str, int]]:
    resolver = get_resolver()
    named = []
    for key, found in resolver.reverse_dict.lists():
        if isinstance(key, str):
            counts = {len(params) for possibility, *_ in found for _, params in possibility}
            named.extend((key, count) for count in counts)
    return named


def test_every_route_is_written_as_django_writes_it():
    names = _names()
    assert len(names) > 200  # the whole site, not an empty resolver
    quick = 0
    for name, count in names:
        for args in itertools.islice(itertools.product(VALUES, repeat=count), 60):
            path = quick_reverse(name, list(args))
            try:
                expected = reverse(name, args=list(args))
            except NoReverseMatch:
                assert path is None, (name, args)
                continue
            if path is not None:
                quick += 1
                assert path == expected, (name, args)
    assert quick > 1000  # most links take the quick way


def test_the_url_tag_writes_the_same_links_and_still_refuses():
    page = Template(
        "{% url 'todo_list' pk %}|{% url 'todo_done' 'program' 5 %}|{% url 'todo_list' pk as a %}"
        "{{ a }}|{% url 'partnership_detail' partnership_id=pk %}"
    )
    assert page.render(Context({"pk": 3})) == "|".join(
        [
            reverse("todo_list", args=[3]),
            reverse("todo_done", args=["program", 5]),
            reverse("todo_list", args=[3]),
            reverse("partnership_detail", kwargs={"partnership_id": 3}),
        ]
    )
    try:
        Template("{% url 'todo_list' 'a/b' %}").render(Context())
    except NoReverseMatch:
        pass
    else:
        raise AssertionError("a value the route cannot hold must be refused")
