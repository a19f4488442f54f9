"""Pages under /partnerships/<partnership_id>/communication/ for the communication plan."""

from django.urls import path

from tandem.core.item_pages import item_urls
from tandem.relationship.communication import views
from tandem.relationship.communication.services import PLAN

urlpatterns = [
    *item_urls(
        PLAN,
        app="communication",
        context=views.context,
        tab=views.TAB,
        created=views.created,
        edit_context=views.edit_context,
    ),
    path("<str:plan_entry_id>/touch/", views.plan_touch, name="plan_touch"),
]
