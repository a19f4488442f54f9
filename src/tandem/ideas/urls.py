"""Pages under /partnerships/<partnership_id>/ideas/ (included from tandem.urls)."""

from django.urls import path

from tandem.core.item_pages import export_view, item_views
from tandem.ideas import views
from tandem.ideas.services import IDEAS

# Edit and delete from the declaration; the list and the one-line capture are the board's.
pages = item_views(
    IDEAS, app="ideas", context=lambda request, scope, form: {}, tab=("ideas", ""), back=views.back
)

urlpatterns = [
    path("", views.idea_list, name="idea_list"),
    path("new/", views.idea_create, name="idea_create"),
    path("settings/", views.idea_settings, name="idea_settings"),
    path("export/", export_view(IDEAS), name="idea_export"),
    path("<str:idea_id>/edit/", pages["idea_edit"], name="idea_edit"),
    path("<str:idea_id>/delete/", pages["idea_delete"], name="idea_delete"),
    path("<str:idea_id>/commit/", views.idea_act, {"action": "commit"}, name="idea_commit"),
    path("<str:idea_id>/release/", views.idea_act, {"action": "release"}, name="idea_release"),
    path("<str:idea_id>/done/", views.idea_act, {"action": "done"}, name="idea_done"),
    path("<str:idea_id>/move/", views.idea_act, {"action": "move"}, name="idea_move"),
    path("<str:idea_id>/convert/", views.idea_act, {"action": "convert"}, name="idea_convert"),
]
