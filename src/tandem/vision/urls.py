"""Pages under /partnerships/<partnership_id>/goals/ (included from tandem.urls)."""

from tandem.core.item_pages import item_urls
from tandem.vision import views
from tandem.vision.services import GOALS

urlpatterns = item_urls(GOALS, app="vision", context=views.context, tab=views.TAB)
