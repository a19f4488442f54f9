"""Running a weekly pulse from the pages, as both sides: start, join, the facilitator's
timer and sections, each step's actions, the live poll, the end and the recap e-mails."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.core.access import Visibility
from tandem.issues.models import Issue
from tandem.meetings.models import Attendee, Headline, Meeting
from tandem.partners.models import Partnership
from tandem.scorecard.models import Entry, period_of
from tandem.traction.models import Rock, Todo
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def _url(name: str, meeting: Meeting, *args: Any) -> str:
    return reverse(name, args=[meeting.partnership_id, meeting.pk, *args])


def _start(client: Client, world: World, kind: str = "pulse") -> Meeting:
    response = client.post(reverse("meeting_start", args=[world.northwind.pk]), {"kind": kind})
    assert response.status_code == 302
    meeting = Meeting.objects.get(partnership=world.northwind, ended_at__isnull=True)
    assert response["Location"] == reverse("meeting_detail", args=[world.northwind.pk, meeting.pk])
    return meeting


def _post(client: Client, url: str, data: dict[str, Any] | None = None) -> str:
    """An action as the live page sends it (htmx): the answer is the live region."""
    response = client.post(url, data or {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def _version(meeting: Meeting) -> int:
    return Meeting.objects.get(pk=meeting.pk).version


def _data_version(world: World) -> int:
    return Partnership.objects.get(pk=world.northwind.pk).data_version


def test_starting_makes_the_starter_facilitator_and_a_second_start_joins_instead(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    meeting = _start(as_maria, world)
    assert meeting.facilitator == world.maria
    assert meeting.section == "segue"
    assert meeting.running_since is not None
    assert [minutes for _, minutes in meeting.timeboxes] == [5, 5, 5, 5, 60, 5]

    response = as_pat.post(reverse("meeting_start", args=[world.northwind.pk]), {"kind": "pulse"})
    assert response["Location"] == reverse("meeting_detail", args=[world.northwind.pk, meeting.pk])
    assert Meeting.objects.filter(partnership=world.northwind).count() == 1

    page = as_pat.get(response["Location"]).content.decode()
    assert "Segue" in page and "Maria Manager" in page
    pat = Attendee.objects.get(meeting=meeting, user=world.pat)
    assert pat.side == "partner" and pat.joined_at is not None


def test_the_live_poll_answers_nothing_until_someone_else_changes_something(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    meeting = _start(as_maria, world)
    as_pat.get(_url("meeting_detail", meeting))
    seen = _data_version(world)
    live = _url("meeting_live", meeting)
    assert as_maria.get(live, {"v": seen}).status_code == 204

    _post(
        as_pat,
        _url("meeting_headline_add", meeting),
        {"kind": "customer", "text": "Contoso renewed for three years"},
    )
    response = as_maria.get(live, {"v": seen})
    assert response.status_code == 200
    assert "Contoso renewed for three years" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("view", ["meeting_live", "meeting_detail"])
def test_a_change_landing_while_a_page_is_rendered_is_never_lost(
    world: World, as_maria: Client, as_pat: Client, monkeypatch: pytest.MonkeyPatch, view: str
) -> None:
    """Maria moves to the scorecard just as Pat's page is being put together. Pat's page
    shows the scorecard: stamped with the version after her move but showing the segue, it
    would stay on the segue, its polls answered "nothing new"."""
    from tandem.meetings import views

    meeting = _start(as_maria, world)
    as_pat.get(_url("meeting_detail", meeting))
    seen = _data_version(world)
    read_version = views._current_version

    def maria_moves_on_first(partnership: Any) -> int:
        monkeypatch.setattr(views, "_current_version", read_version)
        _post(
            as_maria,
            _url("meeting_section", meeting),
            {"section": "scorecard", "version": _version(meeting)},
        )
        return read_version(partnership)

    monkeypatch.setattr(views, "_current_version", maria_moves_on_first)
    # Pat's page is one change behind, so his poll renders the region afresh.
    page = as_pat.get(_url(view, meeting), {"v": seen - 1}).content.decode()
    assert Meeting.objects.get(pk=meeting.pk).section == "scorecard"
    stamped = int(page.split('data-version="', 1)[1].split('"', 1)[0])
    assert '<h2 id="section-title">Scorecard</h2>' in page
    assert stamped == _data_version(world)


def test_internal_items_never_reach_the_partner_side_live_or_not(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    meeting = _start(as_maria, world)
    as_pat.get(_url("meeting_detail", meeting))
    seen = _data_version(world)
    _post(
        as_maria,
        _url("meeting_headline_add", meeting),
        {"kind": "partner", "text": "Their CFO is leaving", "visibility": "internal"},
    )
    assert Headline.objects.get().visibility == Visibility.INTERNAL
    # Pat's page learns that something changed, but what it gets holds no internal item.
    region = as_pat.get(_url("meeting_live", meeting), {"v": seen}).content.decode()
    assert "Their CFO is leaving" not in region
    # A partner-side person cannot make an internal headline: they are told why.
    refused = _post(
        as_pat,
        _url("meeting_headline_add", meeting),
        {"kind": "good_news", "text": "We hired two engineers", "visibility": "internal"},
    )
    assert "Partner-side people can only add shared items." in refused
    assert not Headline.objects.filter(text="We hired two engineers").exists()

    for section in ("rocks", "todos", "issues", "scorecard"):
        _post(
            as_maria,
            _url("meeting_section", meeting),
            {"section": section, "version": _version(meeting)},
        )
        page = as_pat.get(_url("meeting_detail", meeting)).content.decode()
        for secret in (
            world.internal_rock.title,
            world.internal_todo.title,
            "Their reseller margin",
            world.internal_measurable.title,
        ):
            assert secret not in page, (section, secret)
        member_page = as_maria.get(_url("meeting_detail", meeting)).content.decode()
        assert any(
            secret in member_page
            for secret in (
                world.internal_rock.title,
                world.internal_todo.title,
                "Their reseller margin",
                world.internal_measurable.title,
            )
        ), section


def test_only_the_facilitator_runs_the_clock_and_a_stale_click_is_told(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    meeting = _start(as_maria, world)
    as_pat.get(_url("meeting_detail", meeting))
    region = _post(
        as_pat, _url("meeting_timer", meeting), {"running": "0", "version": _version(meeting)}
    )
    assert "Only the facilitator can do that" in region
    assert Meeting.objects.get(pk=meeting.pk).running_since is not None

    version = _version(meeting)
    _post(as_maria, _url("meeting_timer", meeting), {"running": "0", "version": version})
    paused = Meeting.objects.get(pk=meeting.pk)
    assert paused.running_since is None
    # The same click sent again from an old page (the version it saw is gone) is refused.
    region = _post(
        as_maria, _url("meeting_section", meeting), {"section": "rocks", "version": version}
    )
    assert "The meeting moved on" in region
    assert Meeting.objects.get(pk=meeting.pk).section == "segue"


def test_time_spent_stays_with_each_section_and_survives_a_reload(
    world: World, as_maria: Client, time_machine: Any
) -> None:
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    meeting = _start(as_maria, world)
    time_machine.move_to(start + timedelta(minutes=7), tick=False)
    _post(
        as_maria,
        _url("meeting_section", meeting),
        {"section": "scorecard", "version": _version(meeting)},
    )
    meeting.refresh_from_db()
    assert meeting.elapsed["segue"] == 7 * 60
    time_machine.move_to(start + timedelta(minutes=9), tick=False)
    _post(as_maria, _url("meeting_timer", meeting), {"running": "0", "version": _version(meeting)})
    time_machine.move_to(start + timedelta(minutes=30), tick=False)
    page = as_maria.get(_url("meeting_detail", meeting)).content.decode()
    # Paused at 2:00 into the scorecard; the segue ran 7 minutes, 2 over its 5.
    assert 'data-spent="120"' in page and 'data-running="0"' in page
    assert "7:00 / 5 min" in page and "Paused" in page


def test_the_facilitator_hands_over_and_the_new_one_moves_the_agenda(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    meeting = _start(as_maria, world)
    region = _post(
        as_maria,
        _url("meeting_facilitator", meeting),
        {"user": world.pat.pk, "version": _version(meeting)},
    )
    assert "Hand the role to someone who is in the meeting" in region
    as_pat.get(_url("meeting_detail", meeting))
    _post(
        as_maria,
        _url("meeting_facilitator", meeting),
        {"user": world.pat.pk, "version": _version(meeting)},
    )
    assert Meeting.objects.get(pk=meeting.pk).facilitator == world.pat
    _post(
        as_pat, _url("meeting_section", meeting), {"section": "todos", "version": _version(meeting)}
    )
    assert Meeting.objects.get(pk=meeting.pk).section == "todos"
    # A member can take the role back (the facilitator may have dropped out).
    _post(
        as_maria,
        _url("meeting_facilitator", meeting),
        {"user": world.maria.pk, "version": _version(meeting)},
    )
    assert Meeting.objects.get(pk=meeting.pk).facilitator == world.maria


def test_an_off_track_measurable_and_rock_go_to_the_issues_list_in_one_action(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    last_week = period_of(timezone.localdate(), "weekly") - timedelta(days=7)
    Entry.objects.create(measurable=world.shared_measurable, period_start=last_week, value=2)
    meeting = _start(as_maria, world)
    as_pat.get(_url("meeting_detail", meeting))
    _post(
        as_maria,
        _url("meeting_section", meeting),
        {"section": "scorecard", "version": _version(meeting)},
    )
    page = as_pat.get(_url("meeting_detail", meeting)).content.decode()
    assert "Drop Leads referred to the issues list" in page
    _post(
        as_pat,
        _url("meeting_drop", meeting),
        {"what": "measurable", "id": world.shared_measurable.pk, "value": "2", "goal": "≥ 5"},
    )
    issue = Issue.objects.get(title="Scorecard miss: Leads referred")
    assert issue.owner == world.pat and issue.visibility == Visibility.SHARED
    assert "came in at 2" in issue.details
    again = _post(
        as_pat,
        _url("meeting_drop", meeting),
        {"what": "measurable", "id": world.shared_measurable.pk},
    )
    assert "already on the issues list" in again
    assert Issue.objects.filter(title="Scorecard miss: Leads referred").count() == 1

    _post(
        as_maria,
        _url("meeting_section", meeting),
        {"section": "rocks", "version": _version(meeting)},
    )
    rock = world.shared_rock
    _post(
        as_pat,
        _url("meeting_rock", meeting, rock.pk),
        {"status": "off_track", "version": rock.version},
    )
    assert Rock.objects.get(pk=rock.pk).status == "off_track"
    _post(as_pat, _url("meeting_drop", meeting), {"what": "rock", "id": rock.pk})
    assert Issue.objects.filter(title=f"Rock off track: {rock.title}").exists()
    # Pat cannot drop the internal rock: it is not there for him.
    response = as_pat.post(
        _url("meeting_drop", meeting),
        {"what": "rock", "id": world.internal_rock.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 404
    assert not Issue.objects.filter(title__contains=world.internal_rock.title).exists()


def test_two_people_setting_one_rock_at_once_the_later_is_told(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    meeting = _start(as_maria, world)
    as_pat.get(_url("meeting_detail", meeting))
    rock = world.shared_rock
    _post(
        as_maria,
        _url("meeting_rock", meeting, rock.pk),
        {"status": "done", "version": rock.version},
    )
    region = _post(
        as_pat,
        _url("meeting_rock", meeting, rock.pk),
        {"status": "off_track", "version": rock.version},
    )
    assert "Someone else changed this" in region
    assert Rock.objects.get(pk=rock.pk).status == "done"


def test_todo_review_counts_the_week_against_ninety_percent(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    today = timezone.localdate()
    Todo.objects.filter(pk=world.shared_todo.pk).update(due_on=today - timedelta(days=1))
    Todo.objects.filter(pk=world.internal_todo.pk).update(due_on=today - timedelta(days=2))
    meeting = _start(as_maria, world)
    _post(
        as_maria,
        _url("meeting_section", meeting),
        {"section": "todos", "version": _version(meeting)},
    )
    page = as_maria.get(_url("meeting_detail", meeting)).content.decode()
    assert "<strong>0%</strong> done · 0 of 2 due this week" in page
    todo = Todo.objects.get(pk=world.shared_todo.pk)
    _post(as_pat, _url("meeting_todo", meeting, todo.pk), {"done": "1", "version": todo.version})
    assert Todo.objects.get(pk=todo.pk).done_at is not None
    page = as_maria.get(_url("meeting_detail", meeting)).content.decode()
    assert "<strong>50%</strong> done · 1 of 2 due this week" in page
    # Pat counts his side only: the internal to-do is not in his figures.
    page = as_pat.get(_url("meeting_detail", meeting)).content.decode()
    assert "<strong>100%</strong> done · 1 of 1 due this week" in page


def test_issues_are_voted_and_solved_into_todos_with_owners_and_dates(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    meeting = _start(as_maria, world)
    _post(
        as_maria,
        _url("meeting_section", meeting),
        {"section": "issues", "version": _version(meeting)},
    )
    issue = world.shared_issue
    region = _post(as_pat, _url("meeting_vote", meeting, issue.pk), {"vote": "1"})
    assert "2 of 3 votes left for you" in region
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    region = _post(
        as_pat,
        _url("meeting_solve", meeting, issue.pk),
        {
            "version": issue.version,
            "decision": "Pat calls every lead within a day",
            "todo_0_title": "Set up the call rota",
            "todo_0_owner": world.pat.pk,
            "todo_0_due": due,
            "todo_1_title": "Share the lead list daily",
            "todo_1_owner": world.maria.pk,
            "todo_1_due": due,
        },
    )
    solved = Issue.objects.get(pk=issue.pk)
    assert solved.decision == "Pat calls every lead within a day"
    made = {todo.title: todo for todo in solved.todos.all()}
    assert made["Set up the call rota"].owner == world.pat
    assert made["Share the lead list daily"].due_on.isoformat() == due
    # A to-do without an owner is refused, and nothing is half-written.
    other = Issue.objects.create(
        workspace=world.acme, partnership=world.northwind, title="Slow quotes", rank=3
    )
    region = _post(
        as_maria,
        _url("meeting_solve", meeting, other.pk),
        {"version": other.version, "decision": "Faster", "todo_0_title": "Template"},
    )
    assert "Give the to-do “Template” an owner." in region
    assert Issue.objects.get(pk=other.pk).solved_at is None
    assert not Todo.objects.filter(title="Template").exists()


def test_conclusion_ties_loose_ends_takes_ratings_and_marks_absence(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    Partnership.objects.filter(pk=world.northwind.pk).update(sponsor=world.lena)
    meeting = _start(as_maria, world)
    as_pat.get(_url("meeting_detail", meeting))
    _post(
        as_maria,
        _url("meeting_section", meeting),
        {"section": "conclusion", "version": _version(meeting)},
    )
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    _post(
        as_pat,
        _url("meeting_loose_end", meeting),
        {"text": "Send the partner logo", "owner": world.pat.pk, "due_on": due},
    )
    assert Todo.objects.get(title="Send the partner logo").owner == world.pat
    _post(as_pat, _url("meeting_loose_end", meeting), {"text": "Pricing for Norway", "owner": ""})
    carried = Issue.objects.get(title="Pricing for Norway")
    assert carried.term == "short" and "Carried over from the weekly pulse" in carried.details
    refused = _post(as_pat, _url("meeting_loose_end", meeting), {"text": "   "})
    assert "Say what is left open." in refused

    assert "Rate the meeting from 1 to 10." in _post(
        as_pat, _url("meeting_rate", meeting), {"rating": "11"}
    )
    _post(as_pat, _url("meeting_rate", meeting), {"rating": "8"})
    assert Attendee.objects.get(meeting=meeting, user=world.pat).rating == 8

    assert "Only the facilitator" in _post(
        as_pat, _url("meeting_absent", meeting, world.lena.pk), {"absent": "1"}
    )
    _post(as_maria, _url("meeting_absent", meeting, world.lena.pk), {"absent": "1"})
    assert Attendee.objects.get(meeting=meeting, user=world.lena).absent
    # Someone from another partnership is nobody's to mark.
    assert "Choose someone from this partnership." in _post(
        as_maria, _url("meeting_absent", meeting, world.lee.pk), {"absent": "1"}
    )


def test_ending_stores_the_recap_and_mails_each_attendee_their_copy(
    world: World, as_maria: Client, as_pat: Client, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _start(as_maria, world)
    as_pat.get(_url("meeting_detail", meeting))
    client_for(world.lena).get(_url("meeting_detail", meeting))
    _post(
        as_maria,
        _url("meeting_headline_add", meeting),
        {"kind": "partner", "text": "Their CFO is leaving", "visibility": "internal"},
    )
    _post(
        as_pat,
        _url("meeting_headline_add", meeting),
        {"kind": "customer", "text": "Contoso renewed"},
    )
    _post(
        as_maria,
        _url("meeting_loose_end", meeting),
        {
            "text": "Draft the exclusivity memo",
            "owner": world.maria.pk,
            "due_on": timezone.localdate().isoformat(),
            "visibility": "internal",
        },
    )
    _post(
        as_pat,
        _url("meeting_loose_end", meeting),
        {
            "text": "Book the webinar room",
            "owner": world.pat.pk,
            "due_on": timezone.localdate().isoformat(),
        },
    )
    _post(
        as_maria,
        _url("meeting_section", meeting),
        {"section": "conclusion", "version": _version(meeting)},
    )
    _post(as_pat, _url("meeting_rate", meeting), {"rating": "9"})
    _post(as_maria, _url("meeting_rate", meeting), {"rating": "6"})
    _post(as_maria, _url("meeting_absent", meeting, world.lena.pk), {"absent": "1"})

    assert "Only the facilitator" in _post(
        as_pat, _url("meeting_end", meeting), {"version": _version(meeting)}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = as_maria.post(
            _url("meeting_end", meeting), {"version": _version(meeting)}, HTTP_HX_REQUEST="true"
        )
    assert response["HX-Redirect"] == _url("meeting_detail", meeting)

    ended = Meeting.objects.get(pk=meeting.pk)
    assert ended.ended_at is not None and ended.recap_sent_at is not None
    assert str(ended.rating_average) == "7.50"
    titles = [todo["title"] for todo in ended.recap["todos"]]
    assert titles == ["Draft the exclusivity memo", "Book the webinar room"]

    # Lena was marked absent: she gets no recap. Maria and Pat get one each, as text and HTML.
    by_reader = {message.to[0]: message for message in mail.outbox}
    assert set(by_reader) == {world.maria.email, world.pat.email}
    theirs, ours = by_reader[world.pat.email], by_reader[world.maria.email]
    assert theirs.subject == "Recap: Weekly pulse · Northwind"
    html = theirs.alternatives[0][0]
    for copy in (theirs.body, html):
        assert "Book the webinar room" in copy and "Contoso renewed" in copy
        assert "Draft the exclusivity memo" not in copy
        assert "Their CFO is leaving" not in copy
        assert world.internal_rock.title not in copy
    assert "Draft the exclusivity memo" in ours.body and "Their CFO is leaving" in ours.body
    assert world.internal_rock.title in ours.body
    assert "Pat Northwind: 9/10" in ours.body and "Lena Lead: absent" in ours.body

    # The recap page shows each side its own copy.
    assert (
        "Their CFO is leaving" not in as_pat.get(_url("meeting_detail", meeting)).content.decode()
    )
    assert "Their CFO is leaving" in as_maria.get(_url("meeting_detail", meeting)).content.decode()
    # And the meeting is over: actions are refused, a new one can start.
    assert "This meeting has ended." in _post(
        as_pat, _url("meeting_rate", meeting), {"rating": "3"}
    )
    assert _start(as_pat, world).pk != meeting.pk


def test_history_lists_meetings_and_searches_what_each_reader_may_see(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    meeting = _start(as_maria, world)
    _post(
        as_maria,
        _url("meeting_headline_add", meeting),
        {"kind": "partner", "text": "Their CFO is leaving", "visibility": "internal"},
    )
    _post(
        as_maria,
        _url("meeting_headline_add", meeting),
        {"kind": "customer", "text": "Contoso renewed"},
    )
    as_maria.post(_url("meeting_end", meeting), {"version": _version(meeting)})
    history = reverse("meeting_list", args=[world.northwind.pk])
    assert "Weekly pulse" in as_pat.get(history).content.decode()
    assert "1 meeting" in as_maria.get(history, {"q": "CFO"}).content.decode()
    assert "No meeting matches" in as_pat.get(history, {"q": "CFO"}).content.decode()
    assert "1 meeting" in as_pat.get(history, {"q": "contoso"}).content.decode()


@pytest.mark.parametrize(
    "section", ["segue", "scorecard", "rocks", "todos", "issues", "conclusion"]
)
def test_the_live_region_costs_the_same_with_ten_or_sixty_items(
    world: World, as_maria: Client, section: str, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting = _start(as_maria, world)
    _post(
        as_maria,
        _url("meeting_section", meeting),
        {"section": section, "version": _version(meeting)},
    )

    def add(count: int) -> None:
        for index in range(count):
            Todo.objects.create(
                workspace=world.acme,
                partnership=world.northwind,
                title=f"T{index}",
                owner=world.pat,
                due_on=timezone.localdate(),
            )
            Issue.objects.create(
                workspace=world.acme,
                partnership=world.northwind,
                title=f"I{index}",
                rank=10 + index,
            )
            Rock.objects.create(
                workspace=world.acme,
                partnership=world.northwind,
                title=f"R{index}",
                owner=world.pat,
                year=world.shared_rock.year,
                quarter=world.shared_rock.quarter,
                due_on=world.shared_rock.due_on,
            )
            Headline.objects.create(
                workspace=world.acme,
                partnership=world.northwind,
                meeting=meeting,
                kind="good_news",
                text=f"H{index}",
                created_by=world.pat,
            )

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_maria.get(_url("meeting_live", meeting), {"v": -1}).status_code == 200
        return len(queries)

    add(10)
    few = cost()
    add(50)
    assert cost() == few


def test_ranking_by_votes_puts_the_most_voted_issue_on_top(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    meeting = _start(as_maria, world)
    _post(
        as_maria,
        _url("meeting_section", meeting),
        {"section": "issues", "version": _version(meeting)},
    )
    low = Issue.objects.create(
        workspace=world.acme, partnership=world.northwind, title="Slow quotes", rank=3
    )
    _post(as_pat, _url("meeting_vote", meeting, low.pk), {"vote": "1"})
    _post(as_maria, _url("meeting_vote", meeting, low.pk), {"vote": "1"})
    region = _post(as_maria, _url("meeting_rank_votes", meeting))
    assert region.index("Slow quotes") < region.index(world.shared_issue.title)
    assert Issue.objects.get(pk=low.pk).rank == 1


def test_the_quarterly_meeting_reviews_the_quarter_and_sets_the_next(
    world: World, as_maria: Client, as_pat: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from tandem.meetings.selectors import review_shift

    meeting = _start(as_maria, world, kind="quarterly")
    assert meeting.section_keys == [
        "segue", "review", "pipeline", "goals", "next_rocks", "issues", "conclusion",
    ]  # fmt: skip
    as_pat.get(_url("meeting_detail", meeting))
    # Held on 24 November, late in Q4: it reviews Q4 and sets Q1 of next year.
    assert review_shift(meeting) == 0
    Rock.objects.filter(pk=world.shared_rock.pk).update(status="done")

    def go(section: str) -> str:
        _post(
            as_maria,
            _url("meeting_section", meeting),
            {"section": section, "version": _version(meeting)},
        )
        return as_pat.get(_url("meeting_detail", meeting)).content.decode()

    page = go("review")
    assert "Q4 2026" in page and "<strong>100%</strong> done (1 of 1)" in page
    assert world.internal_rock.title not in page
    member = as_maria.get(_url("meeting_detail", meeting)).content.decode()
    assert "<strong>50%</strong> done (1 of 2)" in member

    assert world.shared_goal.title in go("goals")
    assert world.internal_goal.title not in go("goals")

    page = go("next_rocks")
    assert "Next quarter’s rocks: Q1 2027" in page
    _post(
        as_pat,
        _url("meeting_next_rock", meeting),
        {"title": "Certify ten Northwind engineers", "owner": world.pat.pk},
    )
    rock = Rock.objects.get(title="Certify ten Northwind engineers")
    assert (rock.year, rock.quarter, rock.owner) == (2027, 1, world.pat)
    assert "Name the rock." in _post(as_pat, _url("meeting_next_rock", meeting), {"title": " "})

    long_term = Issue.objects.create(
        workspace=world.acme, partnership=world.northwind, title="Nordic expansion", term="long"
    )
    page = go("issues")
    assert "Long-term issues" in page and "Nordic expansion" in page
    assert world.shared_issue.title not in page  # the short-term list waits for the pulse
    _post(
        as_maria,
        _url("meeting_solve", meeting, long_term.pk),
        {"version": long_term.version, "decision": "Not before 2028"},
    )

    go("conclusion")
    with django_capture_on_commit_callbacks(execute=True):
        as_maria.post(_url("meeting_end", meeting), {"version": _version(meeting)})
    recap = Meeting.objects.get(pk=meeting.pk).recap
    assert [rock["title"] for rock in recap["next_rocks"]] == ["Certify ten Northwind engineers"]
    assert {rock["title"] for rock in recap["rocks"]} == {
        world.shared_rock.title,
        world.internal_rock.title,
    }
    assert recap["solved"][0]["decision"] == "Not before 2028"
    recaps = [m for m in mail.outbox if m.subject.startswith("Recap")]
    pat_mail = next(m for m in recaps if m.to == [world.pat.email])
    assert pat_mail.subject == "Recap: Quarterly meeting · Northwind"
    # The quarter's plan awaits both sides' signatures: Pat is asked too.
    assert any(m.to == [world.pat.email] and "plan" in m.subject for m in mail.outbox)
    # Pat's copy counts his side's rocks only: one, done.
    assert "THE QUARTER'S ROCKS: 100% DONE (1 OF 1)" in pat_mail.body
    maria_mail = next(m for m in recaps if m.to == [world.maria.email])
    assert "THE QUARTER'S ROCKS: 50% DONE (1 OF 2)" in maria_mail.body
    assert "Certify ten Northwind engineers" in pat_mail.body
    assert world.internal_rock.title not in pat_mail.body


def test_a_quarterly_meeting_early_in_a_quarter_reviews_the_one_just_ended(
    world: World, time_machine: Any
) -> None:
    from tandem.meetings.selectors import quarter_of_shift, review_shift

    time_machine.move_to(timezone.make_aware(timezone.datetime(2027, 1, 5, 15, 0)), tick=False)
    meeting = _start(client_for(world.maria), world, kind="quarterly")
    assert review_shift(meeting) == -1
    assert quarter_of_shift(meeting, review_shift(meeting)) == (2026, 4)
    assert quarter_of_shift(meeting, review_shift(meeting) + 1) == (2027, 1)


def test_the_meetings_page_costs_the_same_with_ten_or_forty_meetings(
    world: World, as_pat: Client
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def hold(count: int) -> None:
        start = timezone.now() - timedelta(days=400)
        for index in range(count):
            began = start + timedelta(days=7 * index)
            Meeting.objects.create(
                workspace=world.acme,
                partnership=world.northwind,
                started_at=began,
                ended_at=began + timedelta(minutes=80),
                timeboxes=[["segue", 5]],
                recap={"completion": {"all": [8, 10], "shared": [4, 5]}},
                recap_text_shared=f"Meeting {index}",
            )

    def cost() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = as_pat.get(reverse("meeting_list", args=[world.northwind.pk]))
        return len(queries), response.content.decode()

    hold(10)
    few, page = cost()
    assert "80%" in page and "(4/5)" in page  # Pat's figures count shared to-dos only
    hold(30)
    many, page = cost()
    assert many == few
    assert "40 meetings" in page


def test_only_the_partnerships_people_are_expected(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    from tests.factories import MembershipFactory, UserFactory

    sam = UserFactory(email="sam@acme.example", name="Sam Santos")
    MembershipFactory(workspace=world.acme, user=sam)
    meeting = _start(as_maria, world)
    _post(
        as_maria,
        _url("meeting_section", meeting),
        {"section": "conclusion", "version": _version(meeting)},
    )
    # Marking "present" someone who never came does not make them an attendee.
    assert "Only someone marked absent can be marked present again." in _post(
        as_maria, _url("meeting_absent", meeting, world.pat.pk), {"absent": "0"}
    )
    assert not Attendee.objects.filter(meeting=meeting, user=world.pat).exists()

    def table(client: Client) -> str:
        page = client.get(_url("meeting_detail", meeting)).content.decode()
        start = page.index('class="list ratings"')
        return page[start : page.index("</table>", start)]

    expected = table(as_pat)
    assert "Pat Northwind" in expected and "Maria Manager" in expected
    assert "Sam Santos" not in expected and "Lena Lead" not in expected
    assert "That person is not part of this partnership." in _post(
        as_maria, _url("meeting_absent", meeting, sam.pk), {"absent": "1"}
    )
    client_for(sam).get(_url("meeting_detail", meeting))  # Sam joins: now he is there
    assert "Sam Santos" in table(as_pat)


def test_the_recap_leaves_out_repeats_and_names_the_slot_after_the_one_held(
    world: World, as_maria: Client, time_machine: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from datetime import date, datetime, time
    from zoneinfo import ZoneInfo

    from tandem.meetings.models import Schedule

    new_york = ZoneInfo("America/New_York")
    Schedule.objects.create(
        partnership=world.northwind,
        weekday=1,
        time=time(10, 0),
        timezone="America/New_York",
        starts_on=date(2026, 11, 1),
    )
    # Tuesday 24 November, 09:00 in New York: an hour before the 10:00 slot.
    time_machine.move_to(datetime(2026, 11, 24, 9, 0, tzinfo=new_york), tick=False)
    client = client_for(world.maria)
    meeting = _start(client, world)
    assert meeting.scheduled_for == datetime(2026, 11, 24, 10, 0, tzinfo=new_york)
    Todo.objects.filter(pk=world.shared_todo.pk).update(repeat="weekly")
    todo = Todo.objects.get(pk=world.shared_todo.pk)
    _post(client, _url("meeting_todo", meeting, todo.pk), {"done": "1", "version": todo.version})
    assert Todo.objects.filter(repeated_from=todo).exists()  # the next round was made
    time_machine.move_to(datetime(2026, 11, 24, 9, 45, tzinfo=new_york), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("meeting_end", meeting), {"version": _version(meeting)})
    recap = Meeting.objects.get(pk=meeting.pk).recap
    assert recap["todos"] == []
    assert datetime.fromisoformat(recap["next_meeting"]) == datetime(
        2026, 12, 1, 10, 0, tzinfo=new_york
    )
    assert "Tue 1 Dec 2026, 10:00 EST" in mail.outbox[0].body


def test_a_partner_can_drop_a_miss_that_only_an_internal_issue_names(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    meeting = _start(as_maria, world)
    Issue.objects.create(
        workspace=world.acme,
        partnership=world.northwind,
        title=f"Rock off track: {world.shared_rock.title}",
        visibility=Visibility.INTERNAL,
        rank=5,
    )
    region = _post(
        as_pat, _url("meeting_drop", meeting), {"what": "rock", "id": world.shared_rock.pk}
    )
    assert "already on the issues list" not in region
    assert Issue.objects.filter(
        title=f"Rock off track: {world.shared_rock.title}", visibility=Visibility.SHARED
    ).exists()


def test_loose_ends_and_next_rocks_refuse_what_does_not_fit(world: World, as_maria: Client) -> None:
    meeting = _start(as_maria, world)
    assert "Keep it to 200 characters." in _post(
        as_maria, _url("meeting_loose_end", meeting), {"text": "x" * 201}
    )
    assert "set in the quarterly meeting" in _post(
        as_maria, _url("meeting_next_rock", meeting), {"title": "A rock"}
    )
    assert not Rock.objects.filter(title="A rock").exists()


def test_a_meeting_left_open_says_how_to_close_it(
    world: World, as_maria: Client, time_machine: Any
) -> None:
    meeting = _start(as_maria, world)
    page = reverse("meeting_list", args=[world.northwind.pk])
    assert "was never ended" not in as_maria.get(page).content.decode()
    time_machine.move_to(meeting.started_at + timedelta(hours=13), tick=False)
    assert "was never ended" in client_for(world.maria).get(page).content.decode()
