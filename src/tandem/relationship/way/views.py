"""The Way pages: at the program level, the workspace's core processes as ordered steps
(members add, edit, reorder and delete them) and how far each active partnership follows
them; per partnership, each process the person may see with a "followed" tick per step.

Processes belong to the workspace, so their editing pages answer under any scope of it
(``/partnerships/program/way/…`` is where the program page links) and always lead back to
the program page.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRefresh

from tandem.core.decorators import access
from tandem.core.errors import DomainError
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.core.scope import NOT_FOUND, PROGRAM, Program, Scope
from tandem.core.views import confirm_delete, edit_item, page_context
from tandem.partners.models import Partnership
from tandem.relationship.way import selectors, services
from tandem.relationship.way.defaults import DEFAULT_WAY
from tandem.relationship.way.forms import CheckForm, MoveForm, ProcessForm, StepForm
from tandem.relationship.way.models import Process, Step

MATRIX_PAGE = 25


def _program(scope: Scope) -> Program:
    return scope if isinstance(scope, Program) else Program(scope.workspace)


def _program_url(anchor: str = "") -> str:
    return reverse("way", args=[PROGRAM]) + (f"#{anchor}" if anchor else "")


def _program_context(
    request: TandemRequest,
    scope: Scope,
    *,
    process_form: ProcessForm | None = None,
    step_form: StepForm | None = None,
    step_form_process: int | None = None,
) -> dict[str, Any]:
    actor = request.actor
    processes = list(selectors.processes_for(actor, scope))
    page = Paginator(selectors.program_partnerships(actor, scope.workspace_id), MATRIX_PAGE)
    partnerships = page.get_page(request.GET.get("page"))
    return page_context(
        request,
        scope,
        ("way", ""),
        **_moved(request),
        processes=processes,
        defaults=DEFAULT_WAY,
        step_total=sum(len(process.steps.all()) for process in processes),
        process_form=process_form or ProcessForm(),
        step_form=step_form,
        step_form_process=step_form_process,
        page=partnerships,
        query="",
        matrix=selectors.program_matrix(actor, processes, list(partnerships.object_list)),
    )


def _moved(request: TandemRequest) -> dict[str, Any]:
    """What was just moved (``?moved=step-12-up``), so its button keeps the focus and a
    keyboard user can press it again."""
    kind, _, rest = request.GET.get("moved", "").partition("-")
    pk, _, direction = rest.partition("-")
    if kind not in {"process", "step"} or direction not in {"up", "down"} or not parse_id(pk):
        return {}
    return {"moved_kind": kind, "moved_id": parse_id(pk), "moved_direction": direction}


@access("partnership", program=True)
def way(request: TandemRequest, partnership: Scope) -> HttpResponse:
    if isinstance(partnership, Program):
        return render(request, "way/program.html", _program_context(request, partnership))
    way = selectors.way_progress(request.actor, partnership)
    context = page_context(request, partnership, ("relationship", "way"), way=way)
    return render(request, "way/partnership.html", context)


@access("partnership_manage", program=True)
def way_defaults(request: TandemRequest, partnership: Scope) -> HttpResponse:
    """Start an empty Way from the three default processes, with one click."""
    if request.method == "POST":
        try:
            created = services.install_defaults(
                actor=request.actor,
                workspace_id=partnership.workspace_id,
            )
        except DomainError as error:
            messages.error(request, error.detail)
        else:
            names = ", ".join(process.name.lower() for process in created)
            messages.success(request, f"The Way starts from {names}. Edit the steps to fit.")
    return redirect(_program_url())


def _place(item: Process | Step) -> str:
    """Where a process or a step shows on the program page: in its process's card."""
    return _program_url(f"process-{item.process_id if isinstance(item, Step) else item.pk}")


def _refused(request: TandemRequest, partnership: Scope, **form: Any) -> HttpResponse:
    """The program page again (400), with the add form as it was refused."""
    context = _program_context(request, _program(partnership), **form)
    return render(request, "way/program.html", context, status=400)


@access("partnership_manage", program=True)
def process_create(request: TandemRequest, partnership: Scope) -> HttpResponse:
    if request.method != "POST":
        return redirect(_program_url("add-process"))
    form = ProcessForm(request.POST)
    create = partial(
        services.process_create, actor=request.actor, workspace_id=partnership.workspace_id
    )
    process = run_service(form, lambda: create(**form.values())) if form.is_valid() else None
    if process is None:
        return _refused(request, partnership, process_form=form)
    messages.success(request, f"Process added: {process.name}. Now add its steps.")
    return redirect(_place(process))


@access("partnership_manage", program=True)
def step_create(request: TandemRequest, partnership: Scope, process_id: str) -> HttpResponse:
    process = selectors.process_for(request.actor, partnership, process_id)
    if request.method != "POST":
        return redirect(_place(process))
    form = StepForm(request.POST)
    create = partial(services.step_create, process, actor=request.actor)
    step = run_service(form, lambda: create(**form.values())) if form.is_valid() else None
    if step is None:
        return _refused(request, partnership, step_form=form, step_form_process=process.pk)
    messages.success(request, f"Step added to {process.name}: {step.title}.")
    return redirect(_place(process))


def _pages(
    name: str, find: Any, form: type[Any], change: tuple[Any, Any, Any]
) -> tuple[Any, Any, Any]:
    """The edit, delete and move pages of a process or a step (``name``): ``find`` reaches
    it, ``change`` holds its update, delete and move services. Each leads back to its
    process on the program page (a deleted process: to the page's top)."""
    update, delete, move = change
    key = f"{name}_id"

    @access("partnership_manage", program=True)
    def edit_view(request: TandemRequest, partnership: Scope, **ids: str) -> HttpResponse:
        item = find(request.actor, partnership, ids[key])
        return edit_item(
            request,
            partnership=_program(partnership),
            item=item,
            form_class=form,
            update=update,
            template=f"way/{name}_form.html",
            back=_place(item),
            label=name.capitalize(),
            context={name: item, "tab": "way"},
        )

    @access("partnership_manage", program=True)
    def delete_view(request: TandemRequest, partnership: Scope, **ids: str) -> HttpResponse:
        item = find(request.actor, partnership, ids[key])
        return confirm_delete(
            request,
            partnership=_program(partnership),
            item=item,
            label=name,
            delete=delete,
            back=_place(item) if name == "step" else _program_url(),
        )

    @access("partnership_manage", program=True)
    def move_view(request: TandemRequest, partnership: Scope, **ids: str) -> HttpResponse:
        """Up or down, back to the same button (``?moved=step-12-up``) on the program page."""
        item = find(request.actor, partnership, ids[key])
        form = MoveForm(request.POST or None)
        moved = ""
        if request.method == "POST":
            if not form.is_valid():
                messages.error(request, "Choose to move it up or down.")
            elif not run_service(
                form,
                lambda: (
                    move(
                        item,
                        actor=request.actor,
                        version=form.cleaned_data.get("version"),
                        direction=form.cleaned_data["direction"],
                    )
                    or True
                ),
            ):
                messages.error(
                    request, f"“{item}” was changed meanwhile; here is the Way as it is now."
                )
            else:
                moved = f"?moved={name}-{item.pk}-{form.cleaned_data['direction']}"
        return redirect(reverse("way", args=[PROGRAM]) + f"{moved}#{name}-{item.pk}")

    return edit_view, delete_view, move_view


process_edit, process_delete, process_move = _pages(
    "process",
    selectors.process_for,
    ProcessForm,
    (services.process_update, services.process_delete, services.process_move),
)
step_edit, step_delete, step_move = _pages(
    "step",
    selectors.step_for,
    StepForm,
    (services.step_update, services.step_delete, services.step_move),
)


@access("partnership")
def step_check(request: TandemRequest, partnership: Partnership, step_id: str) -> HttpResponse:
    """Tick a step followed (or not), or note how it is followed. With htmx, answers the
    process's card and the overall share; without, goes back to the page."""
    actor = request.actor
    step = selectors.step_for(actor, partnership, step_id)
    back = reverse("way", args=[partnership.pk]) + f"#step-{step.pk}"
    if request.method != "POST":
        return redirect(back)
    form = CheckForm(request.POST)
    check = partial(services.step_check, actor=actor, partnership=partnership, step=step)
    saved = (
        run_service(
            form,
            lambda: check(
                followed=form.cleaned_data["followed"],
                note=form.note_value(),
                version=form.cleaned_data.get("version"),
            ),
        )
        if form.is_valid()
        else None
    )
    if saved is None:
        if form.conflict:
            messages.error(request, f"“{step.title}” was ticked meanwhile; here it is as saved.")
        else:
            errors = [str(e) for field in form.errors.values() for e in field]
            messages.error(request, " ".join(errors) or "That did not work.")
        return HttpResponseClientRefresh() if request.htmx else redirect(back)
    if not request.htmx:
        return redirect(back)
    way = selectors.way_progress(actor, partnership)
    progress = next((p for p in way.processes if p.process.pk == step.process_id), None)
    if progress is None:
        raise Http404(NOT_FOUND)
    return render(
        request,
        "way/partnership.html#tick-response",
        {
            "partnership": partnership,
            "can_manage": actor.is_member(partnership.workspace_id),
            "way": way,
            "progress": progress,
        },
    )
