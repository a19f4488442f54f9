"""Changing due diligence criteria and assessments, and the stage rule. Pages and the API
both call these."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from tandem.accounts.models import Workspace
from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.errors import InvalidInput
from tandem.core.policy import require_open
from tandem.core.scope import Scope, scope_of
from tandem.partners.models import Partnership
from tandem.relationship.diligence.models import (
    NAME_TAKEN,
    SCORE_MAX,
    SCORE_MIN,
    Assessment,
    Criterion,
    Decision,
    Score,
    weighted_percent,
)

# Seed 002: "thoroughly research and evaluate the credibility, reputation, and alignment of
# all partners" — plus what the partnership could be worth and what it would take. The
# weights add up to 20, so each default reads as a whole share: 25%, 15%, 25%, 20%, 15%.
DEFAULT_CRITERIA = (
    (
        "Credibility",
        "Do they deliver what they say? References, track record, financial health.",
        5,
    ),
    ("Reputation", "What customers and the market say about them.", 3),
    ("Strategic alignment", "Same customers, compatible goals and values, no conflicting bets.", 5),
    ("Value potential", "Leads, revenue or reach it could bring, for both sides.", 4),
    ("Resources available", "People and time both sides can really put in.", 3),
)

CRITERION_FIELDS = Criterion.concurrency_fields


class DecisionRequired(InvalidInput):
    """Moving a partnership to active needs a go (seed 002: "This isn't built on hope").
    409: the request is well formed; the partnership's state refuses it."""

    status = 409
    title = "Due diligence decision required"

    def __init__(self, detail: str, *, partnership: Any, assessment: Assessment | None) -> None:
        super().__init__(detail, errors={"stage": [detail]})
        self.partnership = partnership
        self.assessment = assessment

    def for_api(self) -> DecisionRequired:
        """The same refusal, naming the API calls that lift it."""
        base = f"/api/partnerships/{self.partnership.pk}/diligence/assessments"
        if self.partnership.pk is None:
            step = "create it as a prospect, assess it, then change its stage."
        elif self.assessment is not None and not self.assessment.is_decided:
            step = f"record a go with POST {base}/{self.assessment.pk}/decision."
        else:
            step = f"start one with POST {base}, score it, then POST {base}/{{id}}/decision."
        return DecisionRequired(
            f"{self.detail} Over the API: {step}",
            partnership=self.partnership,
            assessment=self.assessment,
        )


# --- Criteria -----------------------------------------------------------------------------


def _member(actor: Actor, workspace_id: int) -> None:
    actor.require(actor.is_member(workspace_id))


def _next_position(workspace_id: int) -> int:
    top = Criterion.objects.filter(workspace_id=workspace_id).aggregate(top=Max("position"))
    return (top["top"] or 0) + 1


def criteria_defaults(*, actor: Actor, workspace_id: int) -> list[Criterion]:
    """Give a workspace the five default criteria, once: a workspace that already has
    criteria (even retired ones) keeps its own."""
    _member(actor, workspace_id)
    with transaction.atomic():
        # The workspace row is the lock: with no criteria yet there is no row to lock, and
        # two first assessments at once would each make the five.
        Workspace.objects.select_for_update().filter(pk=workspace_id).first()
        existing = list(Criterion.objects.filter(workspace_id=workspace_id))
        if existing:
            return existing
        made = []
        for position, (name, guidance, weight) in enumerate(DEFAULT_CRITERIA, start=1):
            criterion = Criterion(
                workspace_id=workspace_id,
                name=name,
                guidance=guidance,
                weight=weight,
                position=position,
            )
            core.create(criterion, actor=actor, fields=("name", "weight"))
            made.append(criterion)
    return made


def _check_name(workspace_id: int, name: str, exclude: int | None = None) -> None:
    clash = Criterion.objects.filter(workspace_id=workspace_id, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if name and clash.exists():
        raise InvalidInput.on("name", NAME_TAKEN)


@contextmanager
def _one_name() -> Iterator[None]:
    """Two members saving the same name at once: the database keeps one (a unique
    constraint on the lower-cased name), the other is told as if they had been second,
    whether the model's validation or the insert itself caught it."""
    try:
        yield
    except InvalidInput as error:
        if NAME_TAKEN in (error.errors or {}).get("__all__", []):
            raise InvalidInput.on("name", NAME_TAKEN) from error
        raise
    except IntegrityError as error:
        if "criterion_name_once_per_workspace" in str(error):
            raise InvalidInput.on("name", NAME_TAKEN) from error
        raise


def criterion_create(
    *, actor: Actor, workspace_id: int, name: str, guidance: str = "", weight: int = 1
) -> Criterion:
    _member(actor, workspace_id)
    name = (name or "").strip()
    _check_name(workspace_id, name)
    with _one_name(), transaction.atomic():
        criterion = Criterion(
            workspace_id=workspace_id,
            name=name,
            guidance=(guidance or "").strip(),
            weight=weight,
            position=_next_position(workspace_id),
        )
        core.create(criterion, actor=actor, fields=("name", "guidance", "weight"))
    return criterion


def criterion_update(
    criterion: Criterion, *, actor: Actor, version: int | None, **changes: Any
) -> Criterion:
    """Rename or reweight a criterion. Past assessments keep the name and weight they had."""
    _member(actor, criterion.workspace_id)
    unknown = set(changes) - set(CRITERION_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    for key in ("name", "guidance"):
        if key in changes:
            changes[key] = (changes[key] or "").strip()
    if "name" in changes:
        _check_name(criterion.workspace_id, changes["name"], exclude=criterion.pk)
    with _one_name():
        core.update(criterion, actor=actor, version=version, changes=changes)
    return criterion


def criterion_retire(
    criterion: Criterion, *, actor: Actor, version: int | None, retired: bool = True
) -> Criterion:
    """Retire a criterion (new assessments leave it out; past ones keep it) or bring it back."""
    _member(actor, criterion.workspace_id)
    core.check_version(criterion, version)
    if retired == criterion.is_retired:
        return criterion
    changes: dict[str, Any] = {"retired_at": timezone.now() if retired else None}
    if not retired:
        changes["position"] = _next_position(criterion.workspace_id)
    core.update(
        criterion,
        actor=actor,
        version=version,
        changes=changes,
        verb="retired" if retired else "restored",
    )
    return criterion


def criterion_move(
    criterion: Criterion, *, actor: Actor, version: int | None, direction: str
) -> Criterion:
    """Swap a current criterion with its neighbour above (``up``) or below (``down``)."""
    _member(actor, criterion.workspace_id)
    if direction not in {"up", "down"}:
        raise InvalidInput("Move a criterion up or down.", errors={"direction": ["up or down"]})
    core.check_version(criterion, version)
    if criterion.is_retired:
        raise InvalidInput("Restore the criterion before moving it.")
    siblings = Criterion.objects.filter(workspace_id=criterion.workspace_id).current()
    if direction == "up":
        neighbour = (
            siblings.filter(position__lte=criterion.position)
            .exclude(pk=criterion.pk)
            .order_by("-position", "-id")
            .first()
        )
    else:
        neighbour = (
            siblings.filter(position__gte=criterion.position)
            .exclude(pk=criterion.pk)
            .order_by("position", "id")
            .first()
        )
    if neighbour is None:
        return criterion
    with transaction.atomic():
        mine, theirs = criterion.position, neighbour.position
        if mine == theirs:  # a tie (two added at once): open a gap of one
            mine, theirs = (theirs + 1, theirs) if direction == "up" else (theirs, theirs + 1)
        Criterion.objects.filter(pk=neighbour.pk).update(position=mine)
        core.update(
            criterion,
            actor=actor,
            version=version,
            changes={"position": theirs},
            verb="moved",
        )
    return criterion


# --- Assessments --------------------------------------------------------------------------


def _manage(actor: Actor, partnership: Scope) -> None:
    if partnership.is_program:
        raise InvalidInput("Due diligence assesses a partnership, not the program.")
    actor.require(actor.is_member(partnership.workspace_id))


def open_assessment(partnership: Scope) -> Assessment | None:
    return (
        Assessment.objects.filter(partnership_id=partnership.pk, decision="")
        .order_by("-created_at", "-id")
        .first()
    )


def assessment_start(*, actor: Actor, partnership: Scope) -> Assessment:
    """Begin an assessment of the workspace's current criteria (the defaults, the first
    time). One is open at a time; re-assessing after a decision keeps the earlier ones."""
    _manage(actor, partnership)
    require_open(partnership)
    with transaction.atomic():
        # One writer at a time per partnership, so two clicks cannot open two assessments.
        Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
        if open_assessment(partnership) is not None:
            raise InvalidInput("An assessment is already open: finish it with a decision first.")
        if not Criterion.objects.filter(workspace_id=partnership.workspace_id).exists():
            criteria_defaults(actor=actor, workspace_id=partnership.workspace_id)
        criteria = list(Criterion.objects.filter(workspace_id=partnership.workspace_id).current())
        if not criteria:
            raise InvalidInput(
                "Every criterion is retired: restore or add one on the program's due"
                " diligence page first."
            )
        assessment = Assessment(
            workspace_id=partnership.workspace_id,
            partnership_id=partnership.pk,
            visibility=Visibility.INTERNAL,
        )
        core.create(assessment, actor=actor)
        Score.objects.bulk_create(
            Score(
                assessment=assessment,
                criterion=criterion,
                name=criterion.name,
                guidance=criterion.guidance,
                weight=criterion.weight,
                position=index,
            )
            for index, criterion in enumerate(criteria, start=1)
        )
    return assessment


def _require_undecided(assessment: Assessment) -> None:
    if assessment.is_decided:
        raise InvalidInput(
            "This assessment is decided and kept as it was. Re-assess to score again."
        )


def _clean_scores(
    assessment: Assessment, scores: dict[int, dict[str, Any]]
) -> tuple[list[Score], dict[int, dict[str, Any]]]:
    rows = list(assessment.scores.all())
    known = {row.pk for row in rows}
    errors: dict[str, list[str]] = {}
    unknown = set(scores) - known
    if unknown:
        errors["scores"] = ["Score the criteria of this assessment only."]
    cleaned: dict[int, dict[str, Any]] = {}
    for row_id, values in scores.items():
        if row_id not in known:
            continue
        value: dict[str, Any] = {}
        if "score" in values:
            score = values["score"]
            if score in ("", None):
                score = None
            else:
                try:
                    score = int(score)
                except (TypeError, ValueError):
                    score = -1
                if not SCORE_MIN <= score <= SCORE_MAX:
                    errors[f"score_{row_id}"] = [f"Score from {SCORE_MIN} to {SCORE_MAX}."]
                    continue
            value["score"] = score
        if "evidence" in values:
            evidence = (values["evidence"] or "").strip()
            if len(evidence) > 2000 or "\x00" in evidence:
                errors[f"evidence_{row_id}"] = ["Keep the evidence under 2,000 characters."]
                continue
            value["evidence"] = evidence
        cleaned[row_id] = value
    if errors:
        raise InvalidInput("Please correct the highlighted fields.", errors=errors)
    return rows, cleaned


def assessment_score(
    assessment: Assessment,
    *,
    actor: Actor,
    version: int | None,
    scores: dict[int, dict[str, Any]],
) -> Assessment:
    """Score criteria (1–5) with their evidence. ``scores`` maps a score row's id to its
    ``score`` and/or ``evidence``. Versioned like every edit; the activity log names each
    criterion that changed."""
    scope = scope_of(assessment)
    _manage(actor, scope)
    require_open(scope)
    _require_undecided(assessment)
    rows, cleaned = _clean_scores(assessment, scores)
    core.check_version(assessment, version, message=SCORED_MEANWHILE)
    changed: dict[str, list[str]] = {}
    dirty = []
    for row in rows:
        values = cleaned.get(row.pk, {})
        if "score" in values and values["score"] != row.score:
            changed[row.name] = [str(row.score or "—"), str(values["score"] or "—")]
            row.score = values["score"]
            dirty.append(row)
        if "evidence" in values and values["evidence"] != row.evidence:
            changed[f"{row.name} evidence"] = [row.evidence or "—", values["evidence"] or "—"]
            row.evidence = values["evidence"]
            if row not in dirty:
                dirty.append(row)
    if not dirty:
        return assessment
    with transaction.atomic():
        # The assessment's version guards its scores: it moves on with them (the activity
        # entry names each criterion that changed).
        core.update(
            assessment,
            actor=actor,
            version=version,
            changes={"score_percent": weighted_percent(rows)},
            verb="scored",
            logged=changed,
            message=SCORED_MEANWHILE,
        )
        Score.objects.bulk_update(dirty, ["score", "evidence"])
    assessment._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    return assessment


SCORED_MEANWHILE = "Someone else changed this assessment while you were scoring."


def assessment_decide(
    assessment: Assessment,
    *,
    actor: Actor,
    version: int | None,
    decision: str,
    rationale: str,
) -> Assessment:
    """Record go or no-go, with the reasons, who and when. A go needs every criterion scored
    with its evidence: hoping "maybe this partner will drive business" isn't enough
    (seed 002). A decided assessment is kept as it is; changing one's mind is a re-assessment."""
    scope = scope_of(assessment)
    _manage(actor, scope)
    require_open(scope)
    _require_undecided(assessment)
    errors: dict[str, list[str]] = {}
    if decision not in Decision.values:
        errors["decision"] = ["Choose go or no-go."]
    rationale = (rationale or "").strip()
    if not rationale:
        errors["rationale"] = ["Say why, in a sentence or two: the next person will ask."]
    if decision == Decision.GO:
        missing = [
            row.name
            for row in assessment.scores.all()
            if row.score is None or not row.evidence.strip()
        ]
        if missing:
            errors["decision"] = [
                "A go needs every criterion scored with its evidence. Still missing: "
                + ", ".join(missing)
                + "."
            ]
    if errors:
        raise InvalidInput("Please correct the highlighted fields.", errors=errors)
    core.update(
        assessment,
        actor=actor,
        version=version,
        changes={
            "decision": decision,
            "rationale": rationale,
            "decided_by": actor.user,
            "decided_at": timezone.now(),
        },
        verb="recorded a go on" if decision == Decision.GO else "recorded a no-go on",
    )
    return assessment


def assessment_save(
    assessment: Assessment,
    *,
    actor: Actor,
    version: int | None,
    scores: dict[int, dict[str, Any]],
    decision: str | None = None,
    rationale: str = "",
) -> Assessment:
    """The page's one form: save the scores and, if asked, decide — all or nothing."""
    with transaction.atomic():
        assessment = assessment_score(assessment, actor=actor, version=version, scores=scores)
        if decision is not None:
            assessment_decide(
                assessment,
                actor=actor,
                version=assessment.version,
                decision=decision,
                rationale=rationale,
            )
    return assessment


# --- The stage rule -----------------------------------------------------------------------


def latest_decided(partnership_id: int) -> Assessment | None:
    return (
        Assessment.objects.filter(partnership_id=partnership_id)
        .exclude(decision="")
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
        .first()
    )


def require_go(partnership: Any) -> None:
    """A partnership becomes active only on a recorded go: the latest decision counts, so a
    later no-go blocks it too. Asked by tandem.partners.services wherever the stage moves
    (through its ``BEFORE_ACTIVE`` hook, which this app fills in ``apps.py``)."""
    if partnership.pk is None:
        raise DecisionRequired(
            "A new partnership starts as a prospect or in due diligence: it becomes active"
            " after a go decision on its due diligence assessment.",
            partnership=partnership,
            assessment=None,
        )
    latest = latest_decided(partnership.pk)
    if latest is not None and latest.is_go:
        return
    if latest is not None:
        who = latest.decided_by.get_full_name() if latest.decided_by else "someone"
        detail = (
            f"The latest due diligence decision on {partnership.name} is no-go ({who},"
            f" {latest.decided_at:%-d %b %Y}). Re-assess it and record a go before moving it"
            " to active."
        )
    else:
        detail = (
            f"{partnership.name} has no go decision yet. Score its due diligence assessment"
            f" and record a go before moving it to active."
        )
    raise DecisionRequired(detail, partnership=partnership, assessment=open_assessment(partnership))
