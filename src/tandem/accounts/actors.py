"""Who is asking: the actor of a user (their roles, workspaces and partner-side seats),
loaded in one round trip and kept on the user for the rest of the request."""

from __future__ import annotations

from typing import Any

from tandem.accounts.models import Membership, PartnerAccess, Workspace
from tandem.core.access import ANONYMOUS, Actor

# What every request needs of the actor's workspaces: the layout shows them, page caches
# key on their data version, the sign-in policy (integrations.sso) reads what they require.
WORKSPACE_FIELDS = ("id", "name", "slug", "data_version", "require_sso", "require_two_factor")


def actor_for(user: Any) -> Actor:
    """Build (once per request or token) the actor for a user."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_tandem_actor", None)
    if cached is not None:
        return cached
    roles: dict[int, str] = {}
    workspaces = []
    partnerships = set()
    for workspace_id, role, *fields, partnership_id in _access_rows(user.pk):
        if partnership_id is not None:
            partnerships.add(partnership_id)
            continue
        roles[workspace_id] = role
        workspaces.append((workspace_id, *fields))
    actor = Actor(
        user=user,
        roles=roles,
        partner_partnerships=frozenset(partnerships),
        workspaces=_workspace_rows(sorted(workspaces, key=lambda row: row[1])),
    )
    user._tandem_actor = actor
    return actor


def _access_rows(user_id: int) -> list[tuple[Any, ...]]:
    """Every membership (with what pages need of its workspace) and every partner-side seat
    of a user, in one round trip. Written in SQL because it runs on every request and the
    ORM spends ten times longer building it than the database spends answering it."""
    from django.db import connection

    q = connection.ops.quote_name
    membership, seat, workspace = (
        q(model._meta.db_table) for model in (Membership, PartnerAccess, Workspace)
    )
    sql = (
        f"SELECT m.workspace_id, m.role, w.name, w.slug, w.data_version, w.require_sso,"  # noqa: S608
        f" w.require_two_factor, NULL"
        f" FROM {membership} m JOIN {workspace} w ON w.id = m.workspace_id"
        f" WHERE m.user_id = %s"
        f" UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, p.partnership_id"
        f" FROM {seat} p WHERE p.user_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, user_id])
        return cursor.fetchall()


def _workspace_rows(rows: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    """Workspaces built from those rows; fields not loaded stay deferred, so a save() of
    one of these writes only what was loaded."""
    from django.db import connection

    return tuple(
        Workspace.from_db(connection.alias, list(WORKSPACE_FIELDS), list(row)) for row in rows
    )


def forget_actor(user: Any) -> None:
    """Drop the cached actor after the user's memberships change."""
    if user is not None and hasattr(user, "_tandem_actor"):
        del user._tandem_actor
