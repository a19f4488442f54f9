"""The digest page (a person's choices, and what their digest holds now) and the page a
one-click link opens: no sign-in, the link is the credential. GET only shows what the link
would do (mail scanners open links); the button (POST) does it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from tandem.core.decorators import access
from tandem.core.errors import Conflict, InvalidInput
from tandem.core.http import TandemRequest
from tandem.core.sides import side_name, sides_for
from tandem.evaluation.digest import content, links, services, timing
from tandem.evaluation.digest.forms import AnswerForm, DigestPreferenceForm
from tandem.evaluation.digest.links import Refused, Use
from tandem.evaluation.digest.models import Action
from tandem.meetings.schedule.selectors import when
from tandem.plans.content import readable
from tandem.plans.selectors import side_of


@access("user")
def digest_preferences(request: TandemRequest) -> HttpResponse:
    """Choose the digest's day and hour (or turn it off), and see what it holds now."""
    user: Any = request.user
    preference = services.preference_of(user)
    initial = {
        "enabled": preference.enabled,
        "weekday": preference.weekday,
        "hour": preference.hour,
        "timezone": user.timezone or "UTC",
    }
    form = DigestPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_set(user, **form.cleaned_data)
        except InvalidInput as error:
            _place(form, error)
        else:
            if form.cleaned_data["enabled"]:
                messages.success(request, "Your digest choices are saved.")
            else:
                messages.success(request, "Your weekly digest is off.")
            return redirect("digest_preferences")
    zone = timing.zone_of(user.timezone)
    now = timezone.now()
    context = {
        "form": form,
        "preference": preference,
        "zone": zone.key,
        "next_due": when(timing.next_due(zone, preference.weekday, preference.hour, now), zone)
        if preference.enabled
        else "",
        "digest": content.build(request.actor, user, zone, now),
    }
    # Here after a POST only when it was refused: a 400, as every refused form.
    status = 400 if request.method == "POST" else 200
    return render(request, "digest/preferences.html", context, status=status)


@access("public")
@never_cache
def digest_action(request: TandemRequest, token: str) -> HttpResponse:
    """A one-click link: show what it does (GET), do it (POST)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    try:
        use = links.check(token)
        item = services.target(use)
    except Refused as refused:
        return _refused(request, refused)
    action = use.link.action
    form = AnswerForm(request.POST or None) if action == Action.ASK_ANSWER else None
    problem = ""
    unticked = action == Action.PLAN_SIGN and request.POST.get("agree") != "yes"
    if request.method == "POST" and unticked:
        problem = "Tick the sentence that says you agree to the plan, then sign."
    elif request.method == "POST" and (form is None or form.is_valid()):
        try:
            done = services.act(
                use,
                item,
                answer=form.cleaned_data["answer"] if form is not None else "",
                content_hash=str(request.POST.get("content_hash", "")),
            )
        except Refused as refused:
            return _refused(request, refused)
        except Conflict:
            problem = "This changed while you were reading. Here it is as it is now."
            try:
                item = services.target(use)
            except Refused as refused:
                return _refused(request, refused)
        except InvalidInput as error:
            if form is not None:
                _place(form, error)
            else:
                problem = error.detail
        else:
            context = {"link": use.link, "item": item, "done": done, "person": use.user}
            return _private(render(request, "digest/action_done.html", context))
    context = {"link": use.link, "item": item, "person": use.user, "form": form}
    context["problem"] = problem
    if action == Action.PLAN_SIGN:
        context.update(_plan_context(use, item))
    status = 400 if request.method == "POST" else 200
    return _private(render(request, "digest/action.html", context, status=status))


def _plan_context(use: Use, state: Any) -> dict[str, Any]:
    """What the plan page shows: the plan as its parts, and the signer's side by name."""
    side = side_of(use.actor, state.partnership)
    return {
        "shown": readable(state.content),
        "sides": sides_for(use.actor, state.partnership),
        "my_side": side_name(side, use.actor, state.partnership) if side else None,
    }


def _place(form: forms.Form, error: InvalidInput) -> None:
    """A service's refusal on the form: on its field when the form has it."""
    placed = False
    for name, words in error.errors.items():
        for message in words:
            form.add_error(name if name in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, error.detail)


def _refused(request: TandemRequest, refused: Refused) -> HttpResponse:
    return _private(
        render(request, "digest/action_refused.html", {"refused": refused}, status=refused.status)
    )


def _private(response: HttpResponse) -> HttpResponse:
    """The address holds a secret: no referrer carries it to another site (within this one
    the form's POST needs its origin), no robot keeps the page."""
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response
