"""Goal pages: a partnership's (or the program's) 1-year goals and 3-year picture, and the
rocks that serve each goal. The add, edit and delete pages follow from the declaration
(``services.GOALS``)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator

from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.core.views import page_context
from tandem.vision import selectors
from tandem.vision.forms import GoalForm

TAB = ("goals", "")


def context(request: TandemRequest, scope: Scope, form: GoalForm) -> dict[str, Any]:
    goals = Paginator(selectors.goals_with_rocks(request.actor, scope), 50).get_page(
        request.GET.get("page")
    )
    return page_context(request, scope, TAB, page=goals, query="", form=form)
