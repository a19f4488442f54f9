"""Roles and expectations: what each side promised, and whether it was kept. Adding,
editing (with the review history) and deleting follow from the declaration
(``services.COMMITMENTS``); suggestions and reviews are the commitment's own."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.core.clock import local_today
from tandem.core.decorators import access
from tandem.core.errors import DomainError
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.core.scope import Scope
from tandem.core.sides import side_name
from tandem.core.views import page_context, refusal
from tandem.relationship.commitments import selectors, services
from tandem.relationship.commitments.forms import CommitmentForm, ReviewForm
from tandem.relationship.commitments.models import SUGGESTIONS, Commitment, Kind, Side, period_label
from tandem.relationship.commitments.services import COMMITMENTS

RECENT = 4  # reviews shown next to each commitment
TAB = ("relationship", "commitments")
LIST = "commitments/commitment_list.html"


def context(request: TandemRequest, partnership: Scope, form: CommitmentForm) -> dict[str, Any]:
    actor = request.actor
    is_member = actor.is_member(partnership.workspace_id)
    today = local_today(partnership)
    page = Paginator(selectors.commitments_with_reviews(actor, partnership), 100).get_page(
        request.GET.get("page")
    )
    sides: dict[str, list[Commitment]] = {side: [] for side in Side.values}
    for commitment in page.object_list:
        reviews = list(commitment.reviews.all())
        start = services.current_period(commitment, today)
        commitment.current_label = period_label(commitment.period, start)  # type: ignore[attr-defined]
        commitment.current = next(  # type: ignore[attr-defined]
            (review for review in reviews if review.period_start == start), None
        )
        commitment.recent = reviews[:RECENT]  # type: ignore[attr-defined]
        commitment.review_count = len(reviews)  # type: ignore[attr-defined]
        commitment.may_change = services.can_change(actor, commitment)  # type: ignore[attr-defined]
        sides[commitment.side].append(commitment)
    record = selectors.trust_record(actor, partnership)
    kinds = dict(Kind.choices)
    columns = []
    for side in (Side.OURS, Side.PARTNER):
        name = side_name(side, actor, partnership)
        suggested = [
            {"kind": kind, "label": kinds[kind], "description": described, "target": target}
            for kind, described, target, _period in SUGGESTIONS[side]
        ]
        columns.append(
            {
                "side": side,
                "name": name,
                "heading": f"What {name.does('provide')}",
                "record": record[side],
                "items": sides[side],
                "can_add": is_member or side == Side.PARTNER,
                "suggestions": suggested if not sides[side] and page.number == 1 else [],
            }
        )
    return page_context(
        request, partnership, TAB, is_member=is_member, columns=columns, page=page, form=form
    )


@access("partnership")
@require_POST
def commitment_suggest(request: TandemRequest, partnership: Scope) -> HttpResponse:
    """One click: add one of a side's usual commitments."""
    try:
        commitment = services.suggestion_add(
            actor=request.actor,
            partnership=partnership,
            side=str(request.POST.get("side", "")),
            kind=str(request.POST.get("kind", "")),
        )
    except DomainError as error:
        messages.error(request, refusal(error))
        return _back(request, partnership, status=400)
    messages.success(
        request, f"Commitment added: {commitment.description}. Adjust its target if needed."
    )
    return redirect("commitment_list", partnership.pk)


def _back(request: TandemRequest, partnership: Scope, *, status: int) -> HttpResponse:
    form = CommitmentForm.for_request(request, partnership)
    return render(request, LIST, context(request, partnership, form), status=status)


def _commitment(request: TandemRequest, partnership: Scope, commitment_id: str) -> Commitment:
    """One the actor may change (their own side's, for partner-side people)."""
    commitment = COMMITMENTS.one(request.actor, partnership, commitment_id, related=("owner",))
    request.actor.require(services.can_change(request.actor, commitment))
    return commitment


def edit_context(request: TandemRequest, commitment: Commitment) -> dict[str, Any]:
    """The edit page shows the commitment's review history too."""
    return {
        "reviews": selectors.reviews_for(request.actor, commitment)[:200],
        "review_form": ReviewForm(),
        "seen_at": timezone.now().isoformat(),
    }


@access("partnership")
@require_POST
def commitment_review(
    request: TandemRequest, partnership: Scope, commitment_id: str
) -> HttpResponse:
    """Mark a commitment kept or missed for a period (this one unless a day is named)."""
    commitment = _commitment(request, partnership, commitment_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say whether it was kept or missed, for a real day's period.")
        return _back(request, partnership, status=400)
    try:
        given = {k: v for k, v in form.cleaned_data.items() if v != ""}
        review = services.commitment_review(commitment, actor=request.actor, **given)
    except DomainError as error:
        messages.error(request, refusal(error))
        return _back(request, partnership, status=400)
    verdict = "kept" if review.kept else "missed"
    messages.success(
        request, f"“{commitment.description}” marked {verdict} for {review.period_label}."
    )
    if request.POST.get("next") == "edit":
        return redirect("commitment_edit", partnership.pk, commitment.pk)
    return redirect(
        reverse("commitment_list", args=[partnership.pk]) + f"#commitment-{commitment.pk}"
    )


@access("partnership")
@require_POST
def commitment_review_clear(
    request: TandemRequest, partnership: Scope, commitment_id: str, review_id: str
) -> HttpResponse:
    """Take back one period's verdict (from the commitment's history)."""
    commitment = _commitment(request, partnership, commitment_id)
    review = get_object_or_404(commitment.reviews.all(), pk=parse_id(review_id))
    review.commitment = commitment
    label = review.period_label
    try:
        services.review_delete(review, actor=request.actor, seen=request.POST.get("seen", ""))
    except DomainError as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, f"The verdict for {label} is cleared: the period is unreviewed.")
    return redirect(reverse("commitment_edit", args=[partnership.pk, commitment.pk]) + "#reviews")
