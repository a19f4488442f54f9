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
    from tandem.core.scope import Scope


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

    def role(self, workspace_id: int | None) -> str | None:
        return None if workspace_id is None else self.roles.get(workspace_id)

    def is_admin(self, workspace_id: int | None) -> bool:
        return self.role(workspace_id) in {Role.OWNER.value, Role.ADMIN.value}

    def is_owner(self, workspace_id: int | None) -> bool:
        return self.role(workspace_id) == Role.OWNER

    def can_see_partnership(self, partnership: Scope) -> bool:
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
