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
from tandem.core.scope import Scope, item_for
from tandem.traction import rocks, selectors, services
from tandem.traction.forms import TodoForm
from tandem.traction.models import Todo

TAB = ("todos", "")


def context(request: TandemRequest, partnership: Scope, form: TodoForm) -> dict[str, Any]:
    actor = request.actor
    page = Paginator(selectors.open_todos(actor, partnership), 25).get_page(request.GET.get("page"))
    return {
        "partnership": partnership,
        "tab": TAB[0],
        "can_manage": actor.is_member(partnership.workspace_id),
        "page": page,
        "query": "",
        "done": selectors.recently_done(actor, partnership)[:10],
        "completion": selectors.completion(actor, partnership),
        "milestones": rocks.milestones_due_soon(actor, partnership),
        "today": timezone.localdate(),
        "form": form,
    }


def created(todo: Todo) -> str:
    return f"To-do added: {todo.title} (due {todo.due_on:%a %d %b})."


@access("partnership", program=True)
@require_POST
def todo_done(request: TandemRequest, partnership: Scope, todo_id: str) -> HttpResponse:
    """Tick off or reopen. With htmx, answers the row alone; if the change is refused, the
    list reloads with the reason, so nobody keeps looking at a row that is not true."""
    actor = request.actor
    todo = item_for(Todo.objects.select_related("owner"), actor, partnership, todo_id)
    form = ConfirmForm(request.POST)
    done = request.POST.get("done") == "1"
    saved = form.is_valid() and (
        run_service(
            form,
            lambda: services.todo_set_done(
                todo, actor=actor, version=form.cleaned_data.get("version"), done=done
            ),
        )
        is not None
    )
    if not saved:
        if form.conflict:
            messages.error(request, f"“{todo.title}” was changed meanwhile; here it is as saved.")
        else:
            messages.error(
                request, " ".join(map(str, form.non_field_errors())) or "That did not work."
            )
        if request.htmx:
            return HttpResponseClientRefresh()
        return redirect("todo_list", partnership.pk)
    if request.htmx:
        return render(
            request,
            "traction/todo_list.html#todo-row",
            {
                "todo": todo,
                "partnership": partnership,
                "can_manage": actor.is_member(partnership.workspace_id),
                "show_scope": request.POST.get("show_scope") == "1",
            },
        )
    if request.POST.get("show_scope") == "1":  # ticked on "My week"
        return redirect("my_week")
    return redirect("todo_list", partnership.pk)
