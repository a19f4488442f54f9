"""No internal item reaches the partner's side, by any road (issue 14, point 3).

Northwind gets an internal item of every item type there is (every model built on
``PartnershipItem``, read from the app registry: a new type fails here until it is given an
internal item), and internal items hanging off shared ones (a shared rock's internal goal, a
shared issue's internal to-do, a shared seat's internal contact …). Each internal item carries
a marker in its words. Pat then reads everything he can: every page and every API answer of
the partnership (the routes walked as the access test walks them), the running meeting's
sections, the recap of an ended meeting (its page, its answer, a history search, the recap
e-mail sent through the real task and the webhook delivery to his own endpoint), his calendar
feed and My week. No marker may appear.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.core import mail
from django.db import models
from django.test import Client
from django.utils import timezone

from tandem.core.access import Visibility
from tandem.core.models import PartnershipItem
from tandem.integrations.webhooks import services as webhooks
from tandem.integrations.webhooks.models import Delivery
from tandem.issues.models import Issue
from tandem.meetings import services as meetings
from tandem.meetings.models import Headline, Kind, Meeting
from tandem.scorecard.models import Entry, Measurable, period_of, shift
from tandem.traction.models import Milestone, Rock, Todo, quarter_of
from tests.conftest import World, client_for
from tests.core.test_counts_for_reader import (
    TOKEN,
    _api_urls,
    _fill,
    _page_urls,
    _read_everything,
)
from tests.test_access import _diligence

INTERNAL = Visibility.INTERNAL
# Words that are not a person's prose: addresses, codes, formulas, the meeting's own state.
NOT_PROSE = {"email", "phone", "currency", "formula", "section", "recap_text", "recap_text_shared"}


def item_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if issubclass(model, PartnershipItem)]


class Markers:
    """Unique words that appear nowhere unless an internal item's words were shown."""

    def __init__(self) -> None:
        self.all: list[str] = []

    def new(self) -> str:
        marker = f"Zq!{len(self.all) + 1}!"
        self.all.append(marker)
        return marker

    def found_in(self, text: str) -> list[str]:
        return [marker for marker in self.all if marker in text]


def _prose(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and field.name not in NOT_PROSE
    ]


def _mark(model: type[models.Model], items: Any, markers: Markers) -> None:
    fields = _prose(model)
    for pk in list(items.values_list("pk", flat=True)):
        marker = markers.new()
        values = {
            f.name: f"<p>{marker}</p>" if f.name.endswith("_html") else marker for f in fields
        }
        if values:
            model._default_manager.filter(pk=pk).update(**values)


def _ended_meeting(world: World, markers: Markers) -> Meeting:
    """A quarterly meeting Pat attended, ended through the service (its recap stored and
    mailed by the task), during which internal items of every list the recap holds were
    made: a to-do, a solved and a carried issue, this and next quarter's rocks, a missed
    measurable and a headline."""
    maria, pat = world.actor(world.maria), world.actor(world.pat)
    common = {"workspace": world.acme, "partnership": world.northwind, "visibility": INTERNAL}
    meeting = meetings.meeting_start(actor=maria, partnership=world.northwind, kind=Kind.QUARTERLY)
    meetings.meeting_join(meeting, actor=pat)
    today = timezone.localdate()
    Todo.objects.create(**common, title=markers.new(), owner=world.maria, due_on=today)
    Issue.objects.create(
        **common, title=markers.new(), decision=markers.new(), solved_at=timezone.now()
    )
    Issue.objects.create(**common, title=markers.new())
    year, quarter = quarter_of(today)
    later = today + timedelta(days=92)
    for (y, q), due in (((year, quarter), today), (quarter_of(later), later)):
        Rock.objects.create(**common, title=markers.new(), owner=world.maria, year=y, quarter=q,
                            due_on=due)  # fmt: skip
    missed = Measurable.objects.create(**common, title=markers.new(), owner=world.maria, goal=10)
    last_period = shift(period_of(today, missed.frequency), missed.frequency, -1)
    Entry.objects.create(measurable=missed, period_start=last_period, value=1)
    Headline.objects.create(**common, meeting=meeting, kind="good_news", text=markers.new())
    meeting.refresh_from_db()
    meetings.meeting_end(meeting, actor=maria, version=meeting.version)
    meeting.refresh_from_db()
    stored = json.dumps(meeting.recap, ensure_ascii=False)
    for name in ("todos", "solved", "carried", "rocks", "next_rocks", "misses", "headlines"):
        listed = json.dumps(meeting.recap[name], ensure_ascii=False)
        assert markers.found_in(listed), f"the recap's {name} hold no internal item"
    assert len(markers.found_in(stored)) == len(markers.all)
    return meeting


def _hanging_off_shared(world: World, found: dict[str, Any], markers: Markers) -> None:
    """Internal items reached from shared ones, and an internal meeting whose recap would
    show if the meeting's own visibility were not asked."""
    common = {"workspace": world.acme, "partnership": world.northwind, "visibility": INTERNAL}
    today = timezone.localdate()
    Rock.objects.filter(pk=world.shared_rock.pk).update(goal=world.internal_goal)
    world.shared_issue.todos.add(world.internal_todo)
    Todo.objects.filter(pk=world.shared_todo.pk).update(repeated_from=world.internal_todo)
    Issue.objects.filter(pk=world.shared_issue.pk).update(owner=world.pat)
    from tandem.ideas.models import Idea
    from tandem.relationship.people.models import Seat
    from tandem.relationship.way.models import Step, StepCheck
    from tandem.vision.models import CompanyGoal, Goal

    Idea.objects.filter(pk=world.shared_idea.pk).update(
        todo=world.internal_todo, rock=world.internal_rock
    )
    company_goal = CompanyGoal.objects.create(workspace=world.acme, title="x", visibility=INTERNAL)
    Goal.objects.filter(pk=world.shared_goal.pk).update(company_goal=company_goal)
    Seat.objects.filter(pk=found["seats"][1].pk).update(contact=world.internal_contact)
    StepCheck.objects.filter(step=found["way"]["shared_step"]).update(visibility=INTERNAL)
    # Pat's own, made internal: his calendar and My week must still leave them out.
    Todo.objects.create(**common, title="x", owner=world.pat, due_on=today + timedelta(days=2))
    rock = Rock.objects.create(
        **common, title="x", owner=world.pat, year=today.year,
        quarter=(today.month - 1) // 3 + 1, due_on=today + timedelta(days=20),
    )  # fmt: skip
    Milestone.objects.create(rock=rock, title="x", due_on=today + timedelta(days=3))
    # The words of what belongs to internal items without a visibility of its own.
    for model, items in (
        (Milestone, Milestone.objects.filter(rock__visibility=INTERNAL)),
        (Step, Step.objects.filter(process__visibility=INTERNAL)),
    ):
        _mark(model, items, markers)
    # The assessment under way, internal.
    _criterion, assessment = _diligence(world)
    type(assessment).objects.filter(pk=assessment.pk).update(visibility=INTERNAL)
    # Issue 15: a shared ledger entry linked to our internal deal, and an internal deal of
    # Pat's own that has stalled (his My week lists his stalled deals).
    from tandem.exchange.ledger.models import Entry as LedgerEntry
    from tandem.exchange.pipeline.models import Opportunity

    exchange = found["exchange"]
    LedgerEntry.objects.filter(pk=exchange["shared_entry"].pk).update(
        opportunity=exchange["internal_opportunity"]
    )
    Opportunity.objects.create(
        **common, account_name="x", account_key="pats-internal.example",
        stage=exchange["stage"], owner=world.pat,
        stage_entered_at=timezone.now() - timedelta(days=90),
    )  # fmt: skip


def _internal_meeting(world: World, recap: dict[str, Any], markers: Markers) -> Meeting:
    marker = markers.new()
    headline = {"kind": "Good news", "text": marker, "by": "", "shared": True}
    return Meeting.objects.create(
        workspace=world.acme, partnership=world.northwind, visibility=INTERNAL,
        facilitator=world.maria, started_at=timezone.now() - timedelta(hours=2),
        ended_at=timezone.now() - timedelta(hours=1),
        recap={**recap, "headlines": [headline]}, recap_text=marker, recap_text_shared=marker,
    )  # fmt: skip


def _calendar(client: Client) -> str:
    answer = client.post("/settings/calendar/")
    address = re.search(r"http://testserver(/calendar/[\w-]+\.ics)", answer.content.decode())
    assert address, "the calendar address is shown"
    feed = Client().get(address.group(1))
    assert feed.status_code == 200
    return feed.content.decode().replace("\r\n ", "")  # unfolded lines


def _text(body: Any) -> str:
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return TOKEN.sub("~", text)


def test_no_internal_item_reaches_pat_by_any_road(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    markers = Markers()
    # Pat's own webhook endpoint, and the workspace's (nothing listens: each delivery is kept).
    scopes: dict[str, Any] = {
        "pat": {"partnership": world.northwind},
        "lena": {"workspace_id": world.acme.pk},
    }
    hooks = {
        who: webhooks.endpoint_create(
            actor=world.actor(getattr(world, who)),
            url="http://127.0.0.1:9/hook",
            events=["meeting.ended"],
            **scope,
        )
        for who, scope in scopes.items()
    }
    with django_capture_on_commit_callbacks(execute=True):
        ended = _ended_meeting(world, markers)
    recap_mails = {tuple(message.to): message for message in mail.outbox}
    found = _fill(world)
    _hanging_off_shared(world, found, markers)
    hidden = _internal_meeting(world, ended.recap, markers)
    # Every item type has an internal item, and every internal item carries a marker.
    missing = [
        model._meta.label
        for model in item_models()
        if not model._default_manager.filter(workspace=world.acme, visibility=INTERNAL).exists()
    ]
    assert not missing, f"give this test an internal item of: {missing}"
    for model in item_models():
        _mark(model, model._default_manager.filter(visibility=INTERNAL), markers)
    assert len(item_models()) >= 20

    pat = client_for(world.pat)
    pages = _page_urls(world, found)
    base = f"/partnerships/{world.northwind.pk}/meetings/"
    api_base = f"/api/partnerships/{world.northwind.pk}/meetings"
    # History searches for the recap's words (the start of each marker: the search box shows
    # what was asked, never a whole marker).
    recap_markers = [marker[:-1] for marker in markers.all[:8]]
    pages += [f"{base}{ended.pk}/", f"{base}{hidden.pk}/", "/week/"]
    pages += [f"{base}?q={marker}" for marker in recap_markers]
    api = _api_urls(world, found) + [f"{api_base}/{ended.pk}", f"{api_base}/{hidden.pk}"]
    api += [f"{api_base}?q={marker}" for marker in recap_markers]
    _read_everything(pat, pages, api, found["live"])  # first visits join the meeting, etc.
    seen = _read_everything(pat, pages, api, found["live"])
    read = [url for url, (status, _body) in seen.items() if status == 200]
    assert len(read) >= 120, f"only {len(read)} pages and answers read"
    assert f"{base}{ended.pk}/" in read and f"{api_base}/{ended.pk}" in read
    texts = {url: _text(body) for url, (_status, body) in seen.items()}

    pat_mail = recap_mails[(world.pat.email,)]
    texts["recap e-mail"] = pat_mail.body + pat_mail.alternatives[0][0]
    maria_mail = recap_mails[(world.maria.email,)]
    assert len(markers.found_in(maria_mail.body)) >= 6  # the mail holds what its reader sees
    delivered = {
        who: json.dumps(
            list(Delivery.objects.filter(endpoint=hook).values_list("payload", flat=True)),
            ensure_ascii=False,
        )
        for who, hook in hooks.items()
    }
    assert "meeting.ended" in delivered["pat"], "Pat's endpoint was told the meeting ended"
    assert len(markers.found_in(delivered["lena"])) >= 6  # the workspace's holds the whole recap
    texts["webhook deliveries"] = delivered["pat"]
    texts["calendar feed"] = _calendar(pat)
    assert markers.found_in(_calendar(client_for(world.maria)))  # Maria's holds her internal to-do

    leaks = {where: hits for where, text in texts.items() if (hits := markers.found_in(text))}
    assert not leaks, f"internal items reach Pat: {leaks}"
