"""Issue pages: the short- and long-term lists (ranked by drag, keys or votes), solving an
issue into a decision and to-dos, moving it elsewhere, and the searchable solved list. Adding,
editing and deleting follow from the declaration (``services.ISSUES``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from tandem.core.decorators import access
from tandem.core.errors import InvalidInput
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.core.params import query_text
from tandem.core.scope import Scope, scope_of
from tandem.core.views import one_click, page_context
from tandem.issues import selectors, services
from tandem.issues.forms import IssueForm, MoveForm, SolveForm
from tandem.issues.models import VOTES_PER_PERSON, Issue, Term

PER_PAGE = 50
TAB = ("issues", "")


def _term(request: TandemRequest) -> str:
    term = request.GET.get("list") or request.POST.get("list") or Term.SHORT
    return term if term in Term.values else Term.SHORT


def _list_url(scope: Scope, term: str) -> str:
    url = reverse("issue_list", args=[scope.pk])
    return url if term == Term.SHORT else f"{url}?list={term}"


def context(
    request: TandemRequest,
    scope: Scope,
    form: IssueForm | None = None,
    *,
    term: str | None = None,
    page_number: str | None = None,
) -> dict[str, Any]:
    """The list's page; ``form``: the add form (none for the list alone, which shows none)."""
    actor = request.actor
    term = term or _term(request)
    page = Paginator(selectors.open_issues(actor, scope, term), PER_PAGE).get_page(
        page_number or request.GET.get("page")
    )
    return page_context(
        request,
        scope,
        TAB,
        term=term,
        term_label=Term(term).label,
        query="" if term == Term.SHORT else f"list={term}",
        counts=selectors.list_counts(actor, scope),
        page=page,
        votes_left=selectors.votes_left(actor, scope, term),
        votes_per_person=VOTES_PER_PERSON,
        form=form,
    )


def initial(request: TandemRequest, scope: Scope) -> dict[str, Any]:
    """The add form puts an issue on the list shown."""
    return {"term": _term(request)}


def created(issue: Issue) -> str:
    return f"Issue added to the {issue.get_term_display().lower()}."


def back(scope: Scope, issue: Issue) -> str:
    """The list the issue is on (once saved)."""
    return _list_url(scope, issue.term)


def edit_context(request: TandemRequest, issue: Issue) -> dict[str, Any]:
    return {"back": _list_url(scope_of(issue), issue.term)}


def _refused(request: TandemRequest, error: InvalidInput, back: str) -> HttpResponse:
    """A refused list action: the message, and the list as it really is."""
    messages.error(request, error.detail)
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(back)


def _list_change(
    request: TandemRequest, scope: Scope, issue_id: str, change: Callable[[Issue], Any]
) -> HttpResponse:
    """Rank or vote on one issue of a list. htmx gets the list itself (focus stays where it
    was); others go back to the page."""
    issue = services.ISSUES.one(request.actor, scope, issue_id)
    try:
        change(issue)
    except InvalidInput as error:
        return _refused(request, error, _list_url(scope, issue.term))
    if request.htmx:
        shown = context(request, scope, term=issue.term, page_number=request.POST.get("page"))
        shown["oob"] = True  # the votes card beside the list changes too
        return render(request, "issues/issue_list.html#issue-list", shown)
    return redirect(_list_url(scope, issue.term))


@access("partnership", program=True)
@require_POST
def issue_rank(request: TandemRequest, partnership: Scope, issue_id: str) -> HttpResponse:
    """Move an issue to a place in its list: ``position`` is the rank it takes (1 = top)."""

    def rank(issue: Issue) -> None:
        try:
            position = int(request.POST.get("position", ""))
        except ValueError:
            raise InvalidInput("Choose a place in the list.") from None
        services.issue_rank(issue, actor=request.actor, position=position)

    return _list_change(request, partnership, issue_id, rank)


@access("partnership", program=True)
@require_POST
def issue_vote(request: TandemRequest, partnership: Scope, issue_id: str) -> HttpResponse:
    def vote(issue: Issue) -> None:
        services.issue_vote(issue, actor=request.actor, vote=request.POST.get("vote") == "1")

    return _list_change(request, partnership, issue_id, vote)


@access("partnership", program=True)
@require_POST
def issue_apply_votes(request: TandemRequest, partnership: Scope) -> HttpResponse:
    term = _term(request)
    try:
        counted = services.apply_votes(actor=request.actor, partnership=partnership, term=term)
    except InvalidInput as error:
        return _refused(request, error, _list_url(partnership, term))
    if counted:
        messages.success(
            request, f"Ranked by {counted} vote{'s' if counted != 1 else ''}; votes cleared."
        )
    else:
        messages.info(request, "Nobody has voted yet: each person picks their top three.")
    return redirect(_list_url(partnership, term))


def _issue_form(
    request: TandemRequest,
    scope: Scope,
    issue: Issue,
    form: Any,
    template: str,
    change: Callable[[], Any],
    said: Callable[[], str],
) -> HttpResponse:
    """A page that changes one issue (solve, move): once ``change`` is saved it says
    ``said()`` and goes back to the issue's list; a refusal shows the form again (400)."""
    back = _list_url(scope, issue.term)
    if request.method == "POST" and form.is_valid() and run_service(form, change) is not None:
        messages.success(request, said())
        return redirect(back)
    context = page_context(request, scope, TAB, issue=issue, back=back, form=form)
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@access("partnership", program=True)
def issue_solve(request: TandemRequest, partnership: Scope, issue_id: str) -> HttpResponse:
    """Identify, discuss, solve: record the decision and the to-dos that make it happen."""
    issue = services.ISSUES.one(request.actor, partnership, issue_id, related=("owner",))
    form = SolveForm(
        request.POST or None,
        initial={"version": issue.version},
        scope=partnership,
        visibility=issue.visibility,
    )

    def solve() -> Any:
        return services.issue_solve(
            issue,
            actor=request.actor,
            version=form.cleaned_data.get("version"),
            decision=form.cleaned_data["decision"],
            new_todos=[services.NewTodo(**line) for line in form.filled()],
        )

    def said() -> str:
        count = len(form.filled())
        added = f" {count} to-do{'s' if count != 1 else ''} added." if count else ""
        return f"Solved: {issue.title}.{added}"

    return _issue_form(request, partnership, issue, form, "issues/issue_solve.html", solve, said)


@access("partnership", program=True)
@require_POST
def issue_reopen(request: TandemRequest, partnership: Scope, issue_id: str) -> HttpResponse:
    issue = services.ISSUES.one(request.actor, partnership, issue_id)
    return one_click(
        request,
        lambda version: services.issue_reopen(issue, actor=request.actor, version=version),
        done=f"Reopened: {issue.title}. It is at the bottom of its list.",
        then=_list_url(partnership, issue.term),
        back=reverse("issue_solved", args=[partnership.pk]),
    )


@access("partnership_manage", program=True)
def issue_move(request: TandemRequest, partnership: Scope, issue_id: str) -> HttpResponse:
    actor = request.actor
    issue = services.ISSUES.one(actor, partnership, issue_id, related=("owner",))
    form = MoveForm(
        request.POST or None,
        initial={"version": issue.version},
        choices=selectors.destinations(actor, issue),
    )

    def move() -> Any:
        destination = services.destination_for(actor, issue, form.cleaned_data["destination"])
        version = form.cleaned_data.get("version")
        return services.issue_move(issue, actor=actor, version=version, destination=destination)

    def said() -> str:
        place = "the program level" if issue.partnership_id is None else issue.partnership
        return f"Moved “{issue.title}” to {place}."

    return _issue_form(request, partnership, issue, form, "issues/issue_move.html", move, said)


@access("partnership", program=True)
def issue_solved(request: TandemRequest, partnership: Scope) -> HttpResponse:
    actor = request.actor
    q = query_text(request)
    page = Paginator(selectors.solved_issues(actor, partnership, q), 25).get_page(
        request.GET.get("page")
    )
    selectors.with_todos(actor, list(page.object_list))
    return render(
        request,
        "issues/issue_solved.html",
        page_context(
            request,
            partnership,
            TAB,
            term="solved",
            counts=selectors.list_counts(actor, partnership),
            page=page,
            query=f"q={quote(q.strip())}" if q.strip() else "",
            q=q.strip(),
        ),
    )
