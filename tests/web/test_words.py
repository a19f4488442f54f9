"""The app speaks a business reader's words: account pages in sentence case with one main
button, developer links under the person's settings, time zones, formulas and days written
one way everywhere."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils.dateformat import format as date_format

from tandem.core.dates import day, zone_label
from tandem.scorecard import formula
from tests.conftest import World

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT_PAGES = ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"]
WORDS = ("h1", "h2", "h3", "button", "label", "title", "a")


class Reader(HTMLParser):
    """The words of each heading, label, button and title, and each button's classes."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, dict[str, str]]] = []
        self.texts: list[tuple[str, str, str]] = []  # (tag, classes, words)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in WORDS:
            self.open.append((tag, {k: v or "" for k, v in attrs}))
            self.texts.append((tag, self.open[-1][1].get("class", ""), ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in WORDS and self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open and data.strip():
            tag, classes, words = self.texts[-1]
            self.texts[-1] = (tag, classes, f"{words} {data.strip()}".strip())


def read(html: str) -> Reader:
    reader = Reader()
    reader.feed(html)
    return reader


def title_cased(words: str) -> list[str]:
    """Capitalised ordinary words after the first ("Sign In"), names and acronyms aside."""
    tail = re.split(r"[\s-]+", words)[1:]
    return [w for w in tail if re.fullmatch(r"[A-Z][a-z]+", w) and w not in {"Tandem"}]


def account_pages(world: World, as_lena: Client) -> dict[str, str]:
    pages = {"/accounts/login/": Client().get("/accounts/login/").content.decode()}
    for path in ACCOUNT_PAGES:
        response = as_lena.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content.decode()
    return pages


def test_account_pages_speak_in_sentence_case(world: World, as_lena: Client) -> None:
    for path, html in account_pages(world, as_lena).items():
        shouting = {
            words: title_cased(words)
            for tag, _, words in read(html).texts
            if tag != "a" or "btn" in _
            if title_cased(words) and "@" not in words
        }
        assert not shouting, f"{path}: {shouting}"
        placeholders = re.findall(r'placeholder="([^"]+)"', html)
        assert not [p for p in placeholders if title_cased(p)], f"{path}: {placeholders}"


def test_sign_in_says_what_tandem_is(db) -> None:
    html = Client().get("/accounts/login/").content.decode()
    assert "run your partnership together" in html


def test_account_actions_have_one_main_button_and_a_red_remove(
    world: World, as_lena: Client
) -> None:
    buttons = [
        (classes, words)
        for tag, classes, words in read(as_lena.get("/accounts/email/").content.decode()).texts
        if "btn" in classes.split()
    ]
    looks = {words: classes for classes, words in buttons}
    assert "btn-primary" in looks["Make primary"]
    assert "btn-primary" not in looks["Re-send verification"]
    assert "btn-danger" in looks["Remove"]
    # Two-factor's "Activate" is a button in a row, not an item of a bulleted list.
    html = as_lena.get("/accounts/2fa/").content.decode()
    actions = re.search(r'<div class="form-actions">(.*?)</div>', html, re.S)
    assert actions and 'class="btn btn-primary"' in actions.group(1)
    assert "Activate" in actions.group(1)
    assert "<li><a" not in html.split('id="main"')[1]


def test_developer_links_live_under_account_settings(
    world: World, as_lena: Client, as_pat: Client
) -> None:
    for client in (as_lena, as_pat):
        settings_page = client.get("/accounts/password/change/").content.decode()
        sidebar = settings_page.split('<nav class="sidebar"')[1].split("</nav>")[0]
        assert "API tokens" not in sidebar and "API docs" not in sidebar
        assert 'href="/settings/tokens/">API tokens</a>' in settings_page
    tokens = as_pat.get("/settings/tokens/").content.decode()
    assert "Account &amp; security</a> › API tokens" in tokens
    assert 'href="/api/docs"' in tokens


def test_a_time_zone_reads_as_its_place_and_clock() -> None:
    winter = datetime(2026, 12, 12, tzinfo=UTC)
    summer = datetime(2026, 7, 1, tzinfo=UTC)
    assert zone_label("America/New_York", at=winter) == "New York (EST)"
    assert zone_label("America/New_York", at=summer) == "New York (EDT)"
    assert zone_label("Europe/Istanbul", at=winter) == "Istanbul (UTC+03)"
    assert zone_label("UTC", at=winter) == "UTC"
    assert zone_label("Nowhere/Town") == "Nowhere/Town"


def test_the_schedule_names_its_zone_as_a_reader_would(world: World, as_maria: Client) -> None:
    html = as_maria.get(f"/partnerships/{world.northwind.pk}/meetings/schedule/").content
    assert b"America/" not in html.split(b"<select")[0]


def test_a_formula_reads_with_names_and_the_usual_signs() -> None:
    titles = {1: "Deals won", 2: "Leads referred", 3: "Lost"}
    node = formula.parse("{#1} / {#2} * 100 - ({#3} - 1)")
    shown = formula.render(node, titles.__getitem__, for_reading=True)
    assert shown == "Deals won ÷ Leads referred × 100 − (Lost − 1)"
    # What people type, and what the API stores, keep their braces and ASCII signs.
    assert formula.canonical(node) == "{#1} / {#2} * 100 - ({#3} - 1)"


def test_one_date_style_for_days() -> None:
    this_year = date(2026, 12, 5)
    assert day(date(2026, 12, 12), today=this_year) == "Sat 12 Dec"
    assert day("2026-12-12", today=this_year) == "Sat 12 Dec"  # as a recap stores it
    assert day(date(2025, 12, 12), today=this_year) == "Fri 12 Dec 2025"
    assert day(None) == "" and day("") == ""


def test_days_are_written_as_django_formats_them() -> None:
    """`day` writes names itself (quicker): the same words as Django's "D j M" and "D j M Y",
    every day of a leap year and of the years around it."""
    today = date(2026, 6, 1)
    first = date(2023, 1, 1)
    for offset in range(4 * 366):
        value = first + timedelta(days=offset)
        style = "D j M" if value.year == today.year else "D j M Y"
        assert day(value, today=today) == date_format(value, style)


@pytest.mark.parametrize("name", ["meetings/email/recap.txt", "meetings/email/recap.html"])
def test_the_recap_mail_writes_due_days_like_the_pages(name: str) -> None:
    recap = {"todos": [{"title": "Send the deck", "owner": "Maria", "due_on": "2026-12-12"}]}
    text = render_to_string(name, {"recap": recap})
    assert "due Sat 12 Dec" in text and "2026-12-12" not in text


def test_templates_write_days_with_the_one_filter() -> None:
    """A day is written `{{ value|day }}`; a date format without a time is a second style."""
    odd = []
    for path in (ROOT / "src").rglob("templates/**/*.*"):
        for found in re.findall(r"\|date:[\"']([^\"']*)[\"']", path.read_text()):
            if found not in {"Y-m-d", "c", "F Y"} and not re.search(r"[HiGgAa]", found):
                odd.append(f"{path.relative_to(ROOT)}: {found}")
    assert not odd
