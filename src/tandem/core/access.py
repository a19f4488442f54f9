"""Who is asking, and what they may see and change. The one place access is decided.

Every page, API endpoint, form choice, e-mail and task asks the same questions of an
``Actor``: the workspaces the user belongs to (with a role) and the partnerships the user was
invited into from the partner's side. Querysets filter with these ids (see
``tandem.core.models.ScopedQuerySet``), so a view that forgets to check cannot leak: the scoped
query is the only way in, and "not there" and "not yours" both answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from tandem.accounts.models import User


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


class Visibility(StrEnum):
    SHARED = "shared"
    INTERNAL = "internal"


@dataclass(frozen=True)
class Actor:
    user: User | None
    roles: dict[int, str] = field(default_factory=dict)
    partner_partnerships: frozenset[int] = frozenset()
    # The workspaces behind ``roles``, loaded in the same query (for the layout and
    # the current workspace), so no page asks for them again.
    workspaces: tuple[Any, ...] = ()

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def workspace_ids(self) -> list[int]:
        return sorted(self.roles)

    @property
    def is_partner_side_only(self) -> bool:
        return not self.roles and bool(self.partner_partnerships)

    def is_member(self, workspace_id: int | None) -> bool:
        return workspace_id in self.roles

    def is_admin(self, workspace_id: int | None) -> bool:
        return self.roles.get(workspace_id) in {Role.OWNER, Role.ADMIN}  # type: ignore[arg-type]

    def is_owner(self, workspace_id: int | None) -> bool:
        return self.roles.get(workspace_id) == Role.OWNER  # type: ignore[arg-type]

    def can_see_partnership(self, partnership: Any) -> bool:
        return self.is_member(partnership.workspace_id) or (
            partnership.pk in self.partner_partnerships
        )

    def can_see(self, item: Any) -> bool:
        """The rule ``ScopedQuerySet.visible_to`` applies in SQL, for one loaded item."""
        if self.is_member(item.workspace_id):
            return True
        return (
            item.partnership_id in self.partner_partnerships
            and item.visibility == Visibility.SHARED
        )

    def can_change(self, item: Any) -> bool:
        """Members change anything in their workspace; partner-side users change shared items
        of their own partnership. Partnership records themselves are the workspace's."""
        return self.can_see(item)

    def require(self, allowed: bool) -> None:
        if not allowed:
            raise PermissionDenied("You don't have permission to do that.")


ANONYMOUS = Actor(user=None)

# What every request needs of the actor's workspaces: the layout shows them, page caches
# key on their data version.
WORKSPACE_FIELDS = ("id", "name", "slug", "data_version")


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
    for workspace_id, role, name, slug, data_version, partnership_id in _access_rows(user.pk):
        if partnership_id is not None:
            partnerships.add(partnership_id)
            continue
        roles[workspace_id] = role
        workspaces.append((workspace_id, name, slug, data_version))
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

    from tandem.accounts.models import Membership, PartnerAccess, Workspace

    q = connection.ops.quote_name
    membership, seat, workspace = (
        q(model._meta.db_table) for model in (Membership, PartnerAccess, Workspace)
    )
    sql = (
        f"SELECT m.workspace_id, m.role, w.name, w.slug, w.data_version, NULL"  # noqa: S608
        f" FROM {membership} m JOIN {workspace} w ON w.id = m.workspace_id"
        f" WHERE m.user_id = %s"
        f" UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, p.partnership_id"
        f" FROM {seat} p WHERE p.user_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, user_id])
        return cursor.fetchall()


def _workspace_rows(rows: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    """Workspaces built from those rows; fields not loaded stay deferred, so a save() of
    one of these writes only what was loaded."""
    from django.db import connection

    from tandem.accounts.models import Workspace

    return tuple(
        Workspace.from_db(connection.alias, list(WORKSPACE_FIELDS), list(row)) for row in rows
    )


def forget_actor(user: Any) -> None:
    """Drop the cached actor after the user's memberships change."""
    if user is not None and hasattr(user, "_tandem_actor"):
        del user._tandem_actor
