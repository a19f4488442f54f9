"""Pages under /partnerships/<partnership_id>/pipeline/ (the partnership's deals) and, in
``workspace_urls``, /workspace/pipeline/ (the workspace's stages and stall rule)."""

from django.urls import path

from tandem.core.exports import field_column, item_columns
from tandem.core.item_pages import item_urls
from tandem.exchange.pipeline import views
from tandem.exchange.pipeline.models import Opportunity
from tandem.exchange.pipeline.services import OPPORTUNITIES

urlpatterns = [
    *item_urls(
        OPPORTUNITIES,
        app="pipeline",
        context=views.context,
        tab=views.TAB,
        created=views.created,
        back=views.back,
        edit_context=views.edit_context,
        list_view=views.opportunity_list,
        # Open, won and lost deals, each with its stage.
        export_columns=item_columns(Opportunity, extra=[field_column(Opportunity, "stage")]),
    ),
    path("<str:opportunity_id>/", views.opportunity_detail, name="opportunity_detail"),
    path("<str:opportunity_id>/move/", views.opportunity_move, name="opportunity_move"),
    path("<str:opportunity_id>/decide/", views.opportunity_decide, name="opportunity_decide"),
]

workspace_urls = [
    path("", views.pipeline_stages, name="pipeline_stages"),
    path("new/", views.pipeline_stage_create, name="pipeline_stage_create"),
    path("stall/", views.pipeline_stall, name="pipeline_stall"),
    path("<str:stage_id>/edit/", views.pipeline_stage_edit, name="pipeline_stage_edit"),
    path("<str:stage_id>/move/", views.pipeline_stage_move, name="pipeline_stage_move"),
    path("<str:stage_id>/archive/", views.pipeline_stage_archive, name="pipeline_stage_archive"),
]
