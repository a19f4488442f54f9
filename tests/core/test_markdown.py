"""The one place user text becomes HTML (tandem.core.markdown)."""

from __future__ import annotations

import pytest

from tandem.core import markdown
from tandem.core.errors import InvalidInput


def test_text_over_the_bound_is_refused_even_when_a_caller_forgot_to_check() -> None:
    with pytest.raises(InvalidInput) as refused:
        markdown.render("a" * (markdown.MAX_LENGTH + 1), field="summary")
    assert refused.value.errors == {
        "summary": ["Keep this under 20,000 characters (it has 20,001)."]
    }
    assert markdown.render("a" * markdown.MAX_LENGTH).startswith("<p>aaa")


def test_raw_html_and_script_links_never_become_markup() -> None:
    html = markdown.render('<img src=x onerror="alert(1)"> [a](javascript:alert(2)) <b>hi</b>')
    assert "<img" not in html and "<b>" not in html and "href" not in html
    assert "&lt;b&gt;hi&lt;/b&gt;" in html  # shown as typed


def test_deep_nesting_is_cut_off_rather_than_followed() -> None:
    html = markdown.render("> " * 5_000 + "deep")
    assert html.count("<blockquote>") < 50
