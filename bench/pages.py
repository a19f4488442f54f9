"""The pages `make bench` measures. A new page is one more `Page` below (and, if its URL
names an object, one more entry in `OBJECTS`).

Every page is measured against the floor (`/_floor`, no database) in the same run and must
meet the bar: p95 at or under `P95_BAR_MS` with `CONNECTIONS` open connections, and at least
`MIN_FLOOR_RATIO` of the floor's requests per second. Its query count must not grow with the
size of the data set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

P95_BAR_MS = 75.0  # issue 19: every page rendered afresh, 20 connections
MIN_FLOOR_RATIO = 0.10
CONNECTIONS = 20

LEAD = "lead@acme.example"
PARTNER = "pat@northwind.example"
PASSWORD = "tandem-demo"  # the demo data's password (tandem.web.management.commands.load_demo)


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # may name objects from OBJECTS: "/partnerships/{northwind}/"
    user: str | None  # who is signed in; None for an anonymous request
    expect: str  # text the page must contain, so a redirect or error page is never measured
    floor: bool = False


FLOOR = Page("floor", "/_floor", None, "ok", floor=True)

PAGES: list[Page] = [
    FLOOR,
    Page("portfolio", "/partnerships/", LEAD, "Partnership portfolio"),
    Page("partnership (lead)", "/partnerships/{northwind}/", LEAD, "Stage history"),
    Page("partnership (partner side)", "/partnerships/{northwind}/", PARTNER, "as a partner of"),
    Page("to-dos (lead)", "/partnerships/{northwind}/todos/", LEAD, "Done on time"),
    Page("to-dos (partner side)", "/partnerships/{northwind}/todos/", PARTNER, "Done on time"),
    Page("rocks (lead)", "/partnerships/{northwind}/rocks/", LEAD, "The quarter so far"),
    Page("scorecard (lead)", "/partnerships/{northwind}/scorecard/", LEAD, "Leads referred"),
    Page("scorecard (partner side)", "/partnerships/{northwind}/scorecard/", PARTNER, "13 wks"),
    Page("issues (lead)", "/partnerships/{northwind}/issues/", LEAD, "Top three"),
    Page("issues (partner side)", "/partnerships/{northwind}/issues/", PARTNER, "Top three"),
    Page("solved issues (lead)", "/partnerships/{northwind}/issues/solved/", LEAD, "Decision:"),
    Page("my week (lead)", "/week/", LEAD, "Numbers to report"),
    Page("my week (partner side)", "/week/", PARTNER, "Numbers to report"),
    Page("goals (lead)", "/partnerships/{northwind}/goals/", LEAD, "1-year goal"),
    Page("the Way (program)", "/partnerships/program/way/", LEAD, "How far each partnership"),
    Page("the Way (lead)", "/partnerships/{northwind}/way/", LEAD, "of the Way followed"),
    Page("the Way (partner side)", "/partnerships/{northwind}/way/", PARTNER, "Joint lead"),
    Page("ideas (lead)", "/partnerships/{northwind}/ideas/", LEAD, "Long-term strategic"),
    Page("ideas (partner side)", "/partnerships/{northwind}/ideas/", PARTNER, "Committed:"),
    Page("vision & values (lead)", "/partnerships/program/values/", LEAD, "Our values"),
    Page("values (partner side)", "/partnerships/{northwind}/values/", PARTNER, "Shared values"),
    Page("asks (lead)", "/partnerships/{northwind}/asks/", LEAD, "Answered and closed"),
    Page("asks (partner side)", "/partnerships/{northwind}/asks/", PARTNER, "Ask Acme"),
    Page("check-ins (lead)", "/partnerships/{northwind}/checkins/", LEAD, "Last monthly"),
    Page(
        "roles & expectations (lead)",
        "/partnerships/{northwind}/commitments/",
        LEAD,
        "Trust record",
    ),
    Page(
        "roles & expectations (partner side)",
        "/partnerships/{northwind}/commitments/",
        PARTNER,
        "Trust record",
    ),
    Page("communication (lead)", "/partnerships/{northwind}/communication/", LEAD, "Last 90 days"),
    Page(
        "communication (partner side)",
        "/partnerships/{northwind}/communication/",
        PARTNER,
        "Last 90 days",
    ),
    Page("due diligence (lead)", "/partnerships/{northwind}/diligence/", LEAD, "Decision:"),
    Page("due diligence program (lead)", "/partnerships/program/diligence/", LEAD, "Criteria"),
    Page("people (lead)", "/partnerships/{northwind}/people/", LEAD, "Who sits where"),
    Page("people (partner side)", "/partnerships/{northwind}/people/", PARTNER, "Your side"),
    Page("focus (lead)", "/focus/", LEAD, "People and their hours"),
    Page("dashboard (lead)", "/dashboard/", LEAD, "Portfolio dashboard"),
    Page("health (lead)", "/partnerships/{northwind}/health/", LEAD, "The parts"),
    Page("health (partner side)", "/partnerships/{northwind}/health/", PARTNER, "The parts"),
    Page("alerts (lead)", "/alerts/", LEAD, "Stall alerts"),
    Page("quarterly plan (lead)", "/partnerships/{northwind}/plan/", LEAD, "Quarterly plan"),
    Page("quarterly plan (partner)", "/partnerships/{northwind}/plan/", PARTNER, "Quarterly plan"),
    Page("notifications (lead)", "/notifications/", LEAD, "Notifications"),
    Page("weekly digest settings (lead)", "/digest/", LEAD, "Weekly digest"),
    Page(
        "meeting schedule (lead)",
        "/partnerships/{northwind}/meetings/schedule/",
        LEAD,
        "Next meetings",
    ),
    Page("value exchange (lead)", "/partnerships/{northwind}/value/", LEAD, "You gave"),
    Page("value exchange (partner side)", "/partnerships/{northwind}/value/", PARTNER, "You gave"),
    Page("pipeline (lead)", "/partnerships/{northwind}/pipeline/", LEAD, "Stalled"),
    Page("pipeline (partner side)", "/partnerships/{northwind}/pipeline/", PARTNER, "Stalled"),
    Page("funnel (lead)", "/partnerships/{northwind}/funnel/", LEAD, "Forecast"),
    Page("funnel (partner side)", "/partnerships/{northwind}/funnel/", PARTNER, "Forecast"),
    Page("funnel (program)", "/partnerships/program/funnel/", LEAD, "Forecast"),
]


def _northwind() -> int:
    from tandem.partners.models import Partnership

    return Partnership.objects.get(workspace__slug="acme-analytics", name="Northwind").pk


# Objects page paths refer to, looked up by bench/probe.py in each data set.
OBJECTS: dict[str, Callable[[], int]] = {
    "northwind": _northwind,
}
