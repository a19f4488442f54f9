"""Issue pages: the short- and long-term lists (ranked by drag, keys or votes), solving an
issue into a decision and to-dos, moving it elsewhere, and the searchable solved list. Adding,
editing and deleting follow from the declaration (``services.ISSUES``)."""

from __future__ import annotations

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
from tandem.core.forms import ConfirmForm, run_service
from tandem.core.http import TandemRequest
from tandem.core.params import query_text
from tandem.core.scope import Scope, item_for, scope_of
from tandem.issues import selectors, services
from tandem.issues.forms import IssueForm, MoveForm, SolveForm
from tandem.issues.models import VOTES_PER_PERSON, Issue, Term
from tandem.partners.selectors import portfolio

PER_PAGE = 50


def _term(request: TandemRequest) -> str:
    term = request.GET.get("list") or request.POST.get("list") or Term.SHORT
    return term if term in Term.values else Term.SHORT


def _list_url(scope: Scope, term: str) -> str:
    url = reverse("issue_list", args=[scope.pk])
    return url if term == Term.SHORT else f"{url}?list={term}"


def _list_context(
    request: TandemRequest,
    scope: Scope,
    form: IssueForm | None = None,
    *,
    term: str | None = None,
    page_number: str | None = None,
) -> dict[str, Any]:
    actor = request.actor
    term = term or _term(request)
    page = Paginator(selectors.open_issues(actor, scope, term), PER_PAGE).get_page(
        page_number or request.GET.get("page")
    )
    if form is None:
        form = IssueForm.for_request(request, scope, initial={"term": term})
    return {
        "partnership": scope,
        "tab": "issues",
        "can_manage": actor.is_member(scope.workspace_id),
        "term": term,
        "term_label": Term(term).label,
        "query": "" if term == Term.SHORT else f"list={term}",
        "counts": selectors.list_counts(actor, scope),
        "page": page,
        "votes_left": selectors.votes_left(actor, scope, term),
        "votes_per_person": VOTES_PER_PERSON,
        "form": form,
    }


@access("partnership", program=True)
def issue_list(request: TandemRequest, partnership: Scope) -> HttpResponse:
    return render(request, "issues/issue_list.html", _list_context(request, partnership))


def context(request: TandemRequest, scope: Scope, form: IssueForm) -> dict[str, Any]:
    return _list_context(request, scope, form)


def created(issue: Issue) -> str:
    return f"Issue added to the {issue.get_term_display().lower()}."


def back(scope: Scope, issue: Issue) -> str:
    """The list the issue is on (once saved)."""
    return _list_url(scope, issue.term)


def edit_context(request: TandemRequest, issue: Issue) -> dict[str, Any]:
    return {"back": _list_url(scope_of(issue), issue.term)}


def _refused(request: TandemRequest, error: InvalidInput | str, back: str) -> HttpResponse:
    """A refused list action: the message, and the list as it really is."""
    messages.error(request, error.detail if isinstance(error, InvalidInput) else error)
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(back)


def _after_list_action(request: TandemRequest, scope: Scope, term: str) -> HttpResponse:
    """htmx gets the list itself (focus stays where it was); others go back to the page."""
    if request.htmx:
        context = _list_context(request, scope, term=term, page_number=request.POST.get("page"))
        context["oob"] = True  # the votes card beside the list changes too
        return render(request, "issues/issue_list.html#issue-list", context)
    return redirect(_list_url(scope, term))


@access("partnership", program=True)
@require_POST
def issue_rank(request: TandemRequest, partnership: Scope, issue_id: str) -> HttpResponse:
    """Move an issue to a place in its list: ``position`` is the rank it takes (1 = top)."""
    issue = item_for(Issue.objects.all(), request.actor, partnership, issue_id)
    back = _list_url(partnership, issue.term)
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        return _refused(request, "Choose a place in the list.", back)
    try:
        services.issue_rank(issue, actor=request.actor, position=position)
    except InvalidInput as error:
        return _refused(request, error, back)
    return _after_list_action(request, partnership, issue.term)


@access("partnership", program=True)
@require_POST
def issue_vote(request: TandemRequest, partnership: Scope, issue_id: str) -> HttpResponse:
    issue = item_for(Issue.objects.all(), request.actor, partnership, issue_id)
    try:
        services.issue_vote(
            issue,
            actor=request.actor,
            vote=request.POST.get("vote") == "1",
        )
    except InvalidInput as error:
        return _refused(request, error, _list_url(partnership, issue.term))
    return _after_list_action(request, partnership, issue.term)


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


def _issue_page(
    request: TandemRequest, template: str, scope: Scope, issue: Issue, **extra: Any
) -> HttpResponse:
    context = {
        "partnership": scope,
        "issue": issue,
        "tab": "issues",
        "can_manage": request.actor.is_member(scope.workspace_id),
        "back": _list_url(scope, issue.term),
        **extra,
    }
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@access("partnership", program=True)
def issue_solve(request: TandemRequest, partnership: Scope, issue_id: str) -> HttpResponse:
    """Identify, discuss, solve: record the decision and the to-dos that make it happen."""
    actor = request.actor
    issue = item_for(Issue.objects.select_related("owner"), actor, partnership, issue_id)
    form = SolveForm(
        request.POST or None,
        initial={"version": issue.version},
        scope=partnership,
        visibility=issue.visibility,
    )
    if request.method == "POST" and form.is_valid():
        new_todos = [
            services.NewTodo(
                title=line.cleaned_data["title"],
                owner=line.cleaned_data["owner"],
                due_on=line.cleaned_data["due_on"],
            )
            for line in form.lines
            if line.cleaned_data.get("title")
        ]
        solved = run_service(
            form,
            lambda: services.issue_solve(
                issue,
                actor=actor,
                version=form.cleaned_data.get("version"),
                decision=form.cleaned_data["decision"],
                new_todos=new_todos,
            ),
        )
        if solved is not None:
            count = len(new_todos)
            messages.success(
                request,
                f"Solved: {issue.title}."
                + (f" {count} to-do{'s' if count != 1 else ''} added." if count else ""),
            )
            return redirect(_list_url(partnership, issue.term))
    return _issue_page(request, "issues/issue_solve.html", partnership, issue, form=form)


@access("partnership", program=True)
@require_POST
def issue_reopen(request: TandemRequest, partnership: Scope, issue_id: str) -> HttpResponse:
    issue = item_for(Issue.objects.all(), request.actor, partnership, issue_id)
    form = ConfirmForm(request.POST)
    if (
        form.is_valid()
        and run_service(
            form,
            lambda: services.issue_reopen(
                issue,
                actor=request.actor,
                version=form.cleaned_data.get("version"),
            ),
        )
        is not None
    ):
        messages.success(request, f"Reopened: {issue.title}. It is at the bottom of its list.")
        return redirect(_list_url(partnership, issue.term))
    messages.error(request, " ".join(map(str, form.non_field_errors())) or "That did not work.")
    return redirect("issue_solved", partnership.pk)


def _destinations(request: TandemRequest, issue: Issue) -> list[tuple[str, str]]:
    """Where an issue can go: the program level and the workspace's other partnerships."""
    actor = request.actor
    choices = [] if issue.partnership_id is None else [("program", "The program level")]
    others = portfolio(actor, workspace_id=issue.workspace_id)
    if issue.partnership_id is not None:
        others = others.exclude(pk=issue.partnership_id)
    choices += [(str(pk), name) for pk, name in others.values_list("pk", "name")]
    return choices


@access("partnership_manage", program=True)
def issue_move(request: TandemRequest, partnership: Scope, issue_id: str) -> HttpResponse:
    actor = request.actor
    issue = item_for(Issue.objects.select_related("owner"), actor, partnership, issue_id)
    form = MoveForm(
        request.POST or None,
        initial={"version": issue.version},
        choices=_destinations(request, issue),
    )
    if request.method == "POST" and form.is_valid():
        moved = run_service(
            form,
            lambda: services.issue_move(
                issue,
                actor=actor,
                version=form.cleaned_data.get("version"),
                destination=services.destination_for(
                    actor, issue, form.cleaned_data["destination"]
                ),
            ),
        )
        if moved is not None:
            place = "the program level" if issue.partnership_id is None else issue.partnership
            messages.success(request, f"Moved “{issue.title}” to {place}.")
            return redirect(_list_url(partnership, issue.term))
    return _issue_page(request, "issues/issue_move.html", partnership, issue, form=form)


@access("partnership", program=True)
def issue_solved(request: TandemRequest, partnership: Scope) -> HttpResponse:
    actor = request.actor
    q = query_text(request)

    def context() -> dict[str, Any]:
        page = Paginator(selectors.solved_issues(actor, partnership, q), 25).get_page(
            request.GET.get("page")
        )
        selectors.with_todos(actor, list(page.object_list))
        return {
            "partnership": partnership,
            "tab": "issues",
            "term": "solved",
            "can_manage": actor.is_member(partnership.workspace_id),
            "counts": selectors.list_counts(actor, partnership),
            "page": page,
            "query": f"q={quote(q.strip())}" if q.strip() else "",
            "q": q.strip(),
        }

    return render(request, "issues/issue_solved.html", context())
