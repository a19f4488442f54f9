"""Goals over HTTP: the same services as the pages, through ``item_api`` (schemas read from
the model, a missing date being a year from today). There is no read of one goal, and a
goal's company goal must be the program's own."""

from ninja import Router

from tandem.core.api.items import item_api
from tandem.core.params import Day
from tandem.vision.models import CompanyGoal
from tandem.vision.services import GOALS
from tandem.vision.values.selectors import company_goals

router = Router(tags=["Goals"])

item_api(
    GOALS,
    router,
    "/partnerships/{partnership_id}/goals",
    fields={"due_on": (Day | None, None)},
    filters=("horizon",),
    order=("horizon", "due_on", "id"),
    related=("owner",),
    nullable=("owner", "company_goal"),
    without=("get",),
    module=__name__,
    among={
        "company_goal": (
            lambda actor, scope: (
                company_goals(scope.workspace_id)
                if scope.is_program
                else CompanyGoal.objects.none()
            ),
            "Only program goals serve one of your company goals.",
        )
    },
    summaries={
        "list": "List goals: 1-year goals (horizon=1y) and the 3-year picture (3y)",
        "create": "Add a goal with a measurable target (a year from today unless you say)",
        "delete": "Delete a goal (its rocks stay, unlinked)",
    },
)
