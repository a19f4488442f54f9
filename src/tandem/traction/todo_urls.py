"""Pages under /partnerships/<partnership_id>/todos/ (included from tandem.urls)."""

from django.urls import path

from tandem.core.item_pages import item_urls
from tandem.traction import todo_views as views
from tandem.traction.services import TODOS

urlpatterns = [
    *item_urls(TODOS, app="traction", context=views.context, tab=views.TAB, created=views.created),
    path("<str:todo_id>/done/", views.todo_done, name="todo_done"),
]
