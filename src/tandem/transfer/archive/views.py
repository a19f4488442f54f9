"""The archive page: owners and admins download their whole workspace as one file."""

from __future__ import annotations

from typing import cast

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from tandem.accounts.models import Workspace
from tandem.core.decorators import access
from tandem.core.http import TandemRequest
from tandem.transfer.archive.export import archive_name, stream
from tandem.transfer.archive.tables import LEFT_OUT, archived_tables


@access("admin")
def archive(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    return render(
        request,
        "archive/archive.html",
        {
            "workspace": workspace,
            "table_count": len(archived_tables()),
            "left_out": sorted(LEFT_OUT.items()),
        },
    )


def download_response(workspace: Workspace) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream(workspace.pk), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{archive_name(workspace)}"'
    return response


@access("admin")
def archive_download(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    # ``access`` is typed for HttpResponse views; a streamed one is a response all the same.
    return cast(HttpResponse, download_response(workspace))
