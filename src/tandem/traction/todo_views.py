"""To-do pages: the list with its completion rate, and ticking one off. The add, edit and
delete pages follow from the declaration (``services.TODOS``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from tandem.core.decorators import access
from tandem.core.forms import ConfirmForm, run_service
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.core.views import page_context
from tandem.traction import rocks, selectors, services
from tandem.traction.forms import TodoForm
from tandem.traction.models import Todo

TAB = ("todos", "")


def context(request: TandemRequest, partnership: Scope, form: TodoForm) -> dict[str, Any]:
    actor = request.actor
    page = Paginator(selectors.open_todos(actor, partnership), 25).get_page(request.GET.get("page"))
    return page_context(
        request,
        partnership,
        TAB,
        page=page,
        done=selectors.recently_done(actor, partnership)[:10],
        completion=selectors.completion(actor, partnership),
        milestones=rocks.milestones_due_soon(actor, partnership),
        today=timezone.localdate(),
        form=form,
    )


def created(todo: Todo) -> str:
    return f"To-do added: {todo.title} (due {todo.due_on:%a %d %b})."


@access("partnership", program=True)
@require_POST
def todo_done(request: TandemRequest, partnership: Scope, todo_id: str) -> HttpResponse:
    """Tick off or reopen. With htmx, answers the row alone; if the change is refused, the
    list reloads with the reason, so nobody keeps looking at a row that is not true."""
    todo = services.TODOS.one(request.actor, partnership, todo_id, related=("owner",))
    form = ConfirmForm(request.POST)
    show_scope = request.POST.get("show_scope") == "1"  # ticked on "My week"
    if form.is_valid():
        version, done = form.cleaned_data.get("version"), request.POST.get("done") == "1"
        saved = run_service(
            form,
            lambda: services.todo_set_done(todo, actor=request.actor, version=version, done=done),
        )
        if saved is not None:
            if request.htmx:
                row = page_context(request, partnership, TAB, todo=todo, show_scope=show_scope)
                return render(request, "traction/todo_list.html#todo-row", row)
            return redirect("my_week") if show_scope else redirect("todo_list", partnership.pk)
    said = " ".join(map(str, form.non_field_errors())) or "That did not work."
    if form.conflict:
        said = f"“{todo.title}” was changed meanwhile; here it is as saved."
    messages.error(request, said)
    return HttpResponseClientRefresh() if request.htmx else redirect("todo_list", partnership.pk)
