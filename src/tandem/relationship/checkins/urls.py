"""Pages under /partnerships/<partnership_id>/checkins/ for check-ins and events."""

from tandem.core.item_pages import item_urls
from tandem.relationship.checkins import views
from tandem.relationship.checkins.services import CHECKINS

urlpatterns = item_urls(
    CHECKINS, app="checkins", context=views.context, tab=views.TAB, created=views.created
)
