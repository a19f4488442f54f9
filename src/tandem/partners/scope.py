"""The program level: the workspace's own lists, outside any one partnership.

Every item belongs to a partnership or, with no partnership, to the program. Pages and
services take a *scope*: a ``Partnership`` or this ``Program`` stand-in, which answers the
same questions (``pk`` for URLs, ``id`` for the item's ``partnership_id``, ``workspace_id``,
``is_archived``, ``data_version`` for page caches). Only workspace members reach it, so
program items are never seen by partner-side people.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PROGRAM = "program"  # the ``partnership_id`` of the program level in URLs


@dataclass(frozen=True)
class Program:
    workspace: Any  # the Workspace, as loaded with the actor (id, name, slug, data_version)

    pk = PROGRAM
    id = None
    is_program = True
    is_archived = False

    @property
    def workspace_id(self) -> int:
        return self.workspace.pk

    @property
    def name(self) -> str:
        return f"{self.workspace.name} program"

    @property
    def data_version(self) -> int:
        return self.workspace.data_version

    def __str__(self) -> str:
        return self.name


def scope_of(item: Any) -> Any:
    """The scope an item lives in: its partnership, or its workspace's program level."""
    if item.partnership_id is not None:
        return item.partnership
    return Program(item.workspace)
