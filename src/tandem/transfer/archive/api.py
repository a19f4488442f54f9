"""The archive over HTTP: ``GET /api/workspaces/{workspace_id}/archive`` (owners and admins)."""

from __future__ import annotations

from django.http import Http404, StreamingHttpResponse
from ninja import Router

from tandem.accounts.models import Workspace
from tandem.core.api.schemas import Id
from tandem.core.http import TandemRequest
from tandem.transfer.archive.views import download_response

router = Router(tags=["Archive"])


@router.get(
    "/workspaces/{workspace_id}/archive",
    openapi_extra={
        "x-access": "admin",
        "responses": {
            200: {
                "description": "The archive: a zip of manifest.json and tables/*.jsonl",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    },
    summary="Download the whole workspace as one archive",
)
def download_archive(request: TandemRequest, workspace_id: Id) -> StreamingHttpResponse:
    """A zip streamed as it is made: ``manifest.json`` (format, Tandem version, each table and
    its row count, what is left out and why) and one ``tables/<app>.<model>.jsonl`` per table
    (one row per line, as Django's serializer writes it, ids kept). Import it into an empty
    Tandem with ``manage.py import_workspace``."""
    actor = request.actor
    if not actor.is_member(workspace_id):
        raise Http404
    actor.require(actor.is_admin(workspace_id))
    return download_response(Workspace.objects.get(pk=workspace_id))
