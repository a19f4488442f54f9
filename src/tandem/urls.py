from django.urls import include, path, register_converter

from tandem.accounts import views as accounts
from tandem.api.api import api
from tandem.exchange.pipeline import urls as pipeline_urls
from tandem.integrations.sso import views as sso
from tandem.integrations.webhooks import urls as webhook_urls
from tandem.partners import views as partners
from tandem.traction import rock_views as rocks
from tandem.web import partnerships
from tandem.web import views as web


class ItemKind:
    """The partnership items served by the generic item pages."""

    regex = "notes|contacts"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ItemKind, "itemkind")

urlpatterns = [
    path("", web.home, name="home"),
    path("healthz", web.healthz, name="healthz"),
    path("favicon.ico", web.favicon, name="favicon"),
    path("_floor", web.floor, name="floor"),
    path("accounts/sso/", sso.sso_start, name="sso_start"),
    path("accounts/sso/signed-out/", sso.sso_signed_out, name="sso_signed_out"),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    # Partnerships
    path("partnerships/", partnerships.portfolio, name="portfolio"),
    path("partnerships/new/", partners.partnership_create, name="partnership_create"),
    path("partnerships/export/", partnerships.portfolio_export, name="portfolio_export"),
    path(
        "partnerships/<str:partnership_id>/",
        partnerships.partnership_detail,
        name="partnership_detail",
    ),
    path(
        "partnerships/<str:partnership_id>/edit/",
        partners.partnership_edit,
        name="partnership_edit",
    ),
    path(
        "partnerships/<str:partnership_id>/archive/",
        partners.partnership_archive,
        name="partnership_archive",
    ),
    path(
        "partnerships/<str:partnership_id>/restore/",
        partners.partnership_restore,
        name="partnership_restore",
    ),
    path(
        "partnerships/<str:partnership_id>/activity/",
        partners.partnership_activity,
        name="partnership_activity",
    ),
    path(
        "partnerships/<str:partnership_id>/activity/export/",
        partners.partnership_activity_export,
        name="partnership_activity_export",
    ),
    path(
        "partnerships/<str:partnership_id>/contacts/export/",
        partners.contact_export,
        name="contact_export",
    ),
    path(
        "partnerships/<str:partnership_id>/notes/export/", partners.note_export, name="note_export"
    ),
    path(
        "partnerships/<str:partnership_id>/invite/", partners.partner_invite, name="partner_invite"
    ),
    path(
        "partnerships/<str:partnership_id>/people/<str:access_id>/remove/",
        partners.partner_access_remove,
        name="partner_access_remove",
    ),
    path(
        "partnerships/<str:partnership_id>/invitations/<str:invitation_id>/revoke/",
        partners.partner_invitation_revoke,
        name="partner_invitation_revoke",
    ),
    path(
        "partnerships/<str:partnership_id>/<itemkind:kind>/new/",
        partners.item_create,
        name="item_create",
    ),
    path(
        "partnerships/<str:partnership_id>/<itemkind:kind>/<str:item_id>/edit/",
        partners.item_edit,
        name="item_edit",
    ),
    path(
        "partnerships/<str:partnership_id>/<itemkind:kind>/<str:item_id>/delete/",
        partners.item_delete,
        name="item_delete",
    ),
    # Traction: to-dos
    path("partnerships/<str:partnership_id>/todos/", include("tandem.traction.todo_urls")),
    # Traction: rocks and their milestones
    path("partnerships/<str:partnership_id>/rocks/", rocks.rock_list, name="rock_list"),
    path("partnerships/<str:partnership_id>/rocks/new/", rocks.rock_create, name="rock_create"),
    path("partnerships/<str:partnership_id>/rocks/export/", rocks.rock_export, name="rock_export"),
    path(
        "partnerships/<str:partnership_id>/rocks/<str:rock_id>/edit/",
        rocks.rock_edit,
        name="rock_edit",
    ),
    path(
        "partnerships/<str:partnership_id>/rocks/<str:rock_id>/status/",
        rocks.rock_status,
        name="rock_status",
    ),
    path(
        "partnerships/<str:partnership_id>/rocks/<str:rock_id>/delete/",
        rocks.rock_delete,
        name="rock_delete",
    ),
    path(
        "partnerships/<str:partnership_id>/rocks/<str:rock_id>/milestones/",
        rocks.milestone_add,
        name="milestone_add",
    ),
    path(
        "partnerships/<str:partnership_id>/rocks/<str:rock_id>/milestones/<str:milestone_id>/done/",
        rocks.milestone_done,
        name="milestone_done",
    ),
    path(
        "partnerships/<str:partnership_id>/rocks/<str:rock_id>/milestones/<str:milestone_id>/delete/",
        rocks.milestone_delete,
        name="milestone_delete",
    ),
    # Scorecard, issues and ideas: each app lists its own pages
    path("partnerships/<str:partnership_id>/scorecard/", include("tandem.scorecard.urls")),
    path("partnerships/<str:partnership_id>/issues/", include("tandem.issues.urls")),
    path("partnerships/<str:partnership_id>/ideas/", include("tandem.ideas.urls")),
    path("partnerships/<str:partnership_id>/goals/", include("tandem.vision.urls")),
    path(
        "partnerships/<str:partnership_id>/meetings/schedule/",
        include("tandem.meetings.schedule.urls"),
    ),
    # After any fixed meetings/<word>/ page: meetings/<meeting_id>/ takes any word.
    path("partnerships/<str:partnership_id>/meetings/", include("tandem.meetings.urls")),
    # The other components (issue 6): each app lists its own pages
    path("partnerships/<str:partnership_id>/values/", include("tandem.vision.values.urls")),
    path("partnerships/<str:partnership_id>/people/", include("tandem.relationship.people.urls")),
    path(
        "partnerships/<str:partnership_id>/diligence/",
        include("tandem.relationship.diligence.urls"),
    ),
    path(
        "partnerships/<str:partnership_id>/commitments/",
        include("tandem.relationship.commitments.urls"),
    ),
    path(
        "partnerships/<str:partnership_id>/communication/",
        include("tandem.relationship.communication.urls"),
    ),
    path("partnerships/<str:partnership_id>/asks/", include("tandem.relationship.asks.urls")),
    path(
        "partnerships/<str:partnership_id>/checkins/", include("tandem.relationship.checkins.urls")
    ),
    path("partnerships/<str:partnership_id>/way/", include("tandem.relationship.way.urls")),
    path("partnerships/<str:partnership_id>/value/", include("tandem.exchange.ledger.urls")),
    path("partnerships/<str:partnership_id>/health/", include("tandem.evaluation.health.urls")),
    path("partnerships/<str:partnership_id>/plan/", include("tandem.plans.urls")),
    path("notifications/", include("tandem.notifications.urls")),
    path("dashboard/", include("tandem.evaluation.dashboard.urls")),
    path("alerts/", include("tandem.evaluation.alerts.urls")),
    path("digest/", include("tandem.evaluation.digest.urls")),
    path("workspace/imports/", include("tandem.transfer.imports.urls")),
    path("workspace/archive/", include("tandem.transfer.archive.urls")),
    path("workspace/webhooks/", include("tandem.integrations.webhooks.urls")),
    path(
        "partnerships/<str:partnership_id>/webhooks/",
        include(webhook_urls.partner_urls),
    ),
    path("partnerships/<str:partnership_id>/chat/", include("tandem.integrations.chat.urls")),
    path("workspace/sign-in/", include("tandem.integrations.sso.urls")),
    path("workspace/audit/", include("tandem.partners.audit_urls")),
    path("partnerships/<str:partnership_id>/money/", include("tandem.exchange.money.urls")),
    path("partnerships/<str:partnership_id>/pipeline/", include("tandem.exchange.pipeline.urls")),
    path("workspace/pipeline/", include(pipeline_urls.workspace_urls)),
    path(
        "partnerships/<str:partnership_id>/funnel/", include("tandem.exchange.pipeline.funnel_urls")
    ),
    path("focus/", include("tandem.relationship.people.focus_urls")),
    path("workspace/company-goals/", include("tandem.vision.company_goal_urls")),
    path("", include("tandem.personal.urls")),
    # Workspace and account
    path("workspace/members/", accounts.members, name="members"),
    path("workspace/members/invite/", accounts.member_invite, name="member_invite"),
    path("workspace/members/<str:membership_id>/role/", accounts.member_role, name="member_role"),
    path(
        "workspace/members/<str:membership_id>/level/", accounts.member_level, name="member_level"
    ),
    path(
        "workspace/members/<str:membership_id>/remove/",
        accounts.member_remove,
        name="member_remove",
    ),
    path(
        "workspace/invitations/<str:invitation_id>/revoke/",
        accounts.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "workspace/switch/<str:workspace_id>/", accounts.workspace_switch, name="workspace_switch"
    ),
    path("invitations/<str:token>/", accounts.invitation_accept, name="invitation_accept"),
    path("settings/tokens/", accounts.tokens, name="tokens"),
    path("settings/tokens/<str:token_id>/revoke/", accounts.token_revoke, name="token_revoke"),
    path("", include("tandem.meetings.calendar.urls")),
]

handler400 = "tandem.web.errors.bad_request"
handler403 = "tandem.web.errors.permission_denied"
handler404 = "tandem.web.errors.page_not_found"
handler500 = "tandem.web.errors.server_error"
