"""The Way a workspace can start from with one click: three processes most partner programs
run, with the steps that make each one work. Edit them afterwards to fit."""

from __future__ import annotations

from typing import Any

from tandem.core.access import Visibility

DEFAULT_WAY: list[dict[str, Any]] = [
    {
        "name": "Partner onboarding",
        "purpose": "From signed agreement to the first joint deal: the first 90 days of a new"
        " partnership.",
        "visibility": Visibility.SHARED,
        "steps": [
            (
                "Kick-off call with both sides' leads",
                "Introduce the people in each seat, agree the 1-year goals and how often you meet.",
            ),
            (
                "Share the partner playbook and portal access",
                "Logins, brand assets, price list, and who to call for what.",
            ),
            (
                "Train and certify the partner's first team",
                "At least two people certified before the first customer pitch.",
            ),
            (
                "Agree the joint value proposition",
                "One paragraph both sides would put in front of a customer.",
            ),
            (
                "Pick the first target accounts together",
                "Five to ten named accounts, each with an owner on both sides.",
            ),
            (
                "Review the first 90 days",
                "What worked, what did not, and whether the partnership is on track.",
            ),
        ],
    },
    {
        "name": "Joint lead hand-off",
        "purpose": "How a lead passes from one side to the other without going cold.",
        "visibility": Visibility.SHARED,
        "steps": [
            (
                "Qualify the lead against the agreed profile",
                "Budget, need, timing and a named contact before anything is handed over.",
            ),
            (
                "Register the lead in the shared pipeline",
                "One record both sides see; first to register owns it.",
            ),
            (
                "Introduce both account owners to the customer",
                "A short three-way introduction within two business days.",
            ),
            (
                "Agree who leads the next meeting",
                "One lead per opportunity; the other side supports.",
            ),
            (
                "Report the outcome within 30 days",
                "Won, lost or still open, with the reason, in the shared pipeline.",
            ),
        ],
    },
    {
        "name": "Quarterly review",
        "purpose": "Every 90 days: look back at the quarter, agree the next one's rocks.",
        "visibility": Visibility.SHARED,
        "steps": [
            (
                "Prepare the scorecard and the rocks' status",
                "Each side brings its numbers a week before; no surprises in the room.",
            ),
            (
                "Review the 1-year goals",
                "Are we on track? Say so honestly, with the numbers.",
            ),
            (
                "Solve the open issues",
                "Identify, discuss, solve — the biggest ones first.",
            ),
            (
                "Set next quarter's rocks",
                "Three to seven, each with one owner and a due date.",
            ),
            (
                "Rate the partnership and the meeting",
                "Both sides score 1–10 and say what would make it a 10.",
            ),
        ],
    },
]
