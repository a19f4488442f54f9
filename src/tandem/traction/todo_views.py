"""To-do pages: the list with its completion rate, add, tick off, edit, delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from tandem.core.decorators import access
from tandem.core.forms import ConfirmForm, run_service
from tandem.core.http import TandemRequest
from tandem.core.scope import item_for
from tandem.core.views import confirm_delete, edit_item
from tandem.partners.models import Partnership
from tandem.traction import rocks, selectors, services
from tandem.traction.forms import TodoForm
from tandem.traction.models import Todo


def _list_context(
    request: TandemRequest, partnership: Partnership, form: TodoForm | None = None
) -> dict[str, Any]:
    actor = request.actor
    page = Paginator(selectors.open_todos(actor, partnership), 25).get_page(request.GET.get("page"))
    return {
        "partnership": partnership,
        "tab": "todos",
        "can_manage": actor.is_member(partnership.workspace_id),
        "page": page,
        "query": "",
        "done": selectors.recently_done(actor, partnership)[:10],
        "completion": selectors.completion(actor, partnership),
        "milestones": rocks.milestones_due_soon(actor, partnership),
        "today": timezone.localdate(),
        "form": form or TodoForm.for_request(request, partnership),
    }


@access("partnership", program=True)
def todo_list(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    return render(request, "traction/todo_list.html", _list_context(request, partnership))


@access("partnership", program=True)
@require_POST
def todo_create(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    form = TodoForm.for_request(request, partnership)
    if form.is_valid():
        todo = run_service(
            form,
            lambda: services.todo_create(
                actor=request.actor,
                partnership=partnership,
                **form.values(),
            ),
        )
        if todo is not None:
            messages.success(request, f"To-do added: {todo.title} (due {todo.due_on:%a %d %b}).")
            return redirect("todo_list", partnership.pk)
    response = render(request, "traction/todo_list.html", _list_context(request, partnership, form))
    response.status_code = 400
    return response


@access("partnership", program=True)
@require_POST
def todo_done(request: TandemRequest, partnership: Partnership, todo_id: str) -> HttpResponse:
    """Tick off or reopen. With htmx, answers the row alone; if the change is refused, the
    list reloads with the reason, so nobody keeps looking at a row that is not true."""
    actor = request.actor
    todo = item_for(Todo.objects.select_related("owner"), actor, partnership, todo_id)
    form = ConfirmForm(request.POST)
    done = request.POST.get("done") == "1"
    saved = form.is_valid() and run_service(
        form,
        lambda: services.todo_set_done(
            todo, actor=actor, version=form.cleaned_data.get("version"), done=done
        ),
    )
    if not saved:
        if form.conflict:  # type: ignore[attr-defined]
            messages.error(request, f"“{todo.title}” was changed meanwhile; here it is as saved.")
        else:
            messages.error(request, " ".join(form.non_field_errors()) or "That did not work.")
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


@access("partnership", program=True)
def todo_edit(request: TandemRequest, partnership: Partnership, todo_id: str) -> HttpResponse:
    todo = item_for(Todo.objects.all(), request.actor, partnership, todo_id)
    return edit_item(
        request,
        partnership=partnership,
        item=todo,
        form_class=TodoForm,
        update=services.todo_update,
        template="traction/todo_form.html",
        back=reverse("todo_list", args=[partnership.pk]),
        label="To-do",
        context={"todo": todo},
    )


@access("partnership", program=True)
def todo_delete(request: TandemRequest, partnership: Partnership, todo_id: str) -> HttpResponse:
    todo = item_for(Todo.objects.all(), request.actor, partnership, todo_id)
    return confirm_delete(
        request,
        partnership=partnership,
        item=todo,
        label="to-do",
        delete=services.todo_delete,
        back=reverse("todo_list", args=[partnership.pk]),
    )
