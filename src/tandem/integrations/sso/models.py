"""The identity providers people sign in with, and the e-mail domains each one vouches for.

A provider is a workspace's own (its members sign in with it) or, with ``partnership`` set,
the partner's (that partnership's partner-side people sign in with their own company's
login). allauth's ``SocialApp`` holds what the OpenID Connect exchange needs (client id,
secret, issuer); this model holds whose provider it is and whom it may sign in.
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models

from tandem.core.access import Actor


class ProviderQuerySet(models.QuerySet["IdentityProvider"]):
    def visible_to(self, actor: Actor) -> Self:
        """The providers of the workspaces the actor is an owner or admin of: they hold a
        client secret, so nobody else sees them (partner-side people included)."""
        if not actor.is_authenticated:
            return self.none()
        return self.filter(
            workspace_id__in=[pk for pk in actor.workspace_ids if actor.is_admin(pk)]
        )


class IdentityProvider(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    # Set: the partner's own provider, for this partnership's partner-side people only.
    partnership = models.ForeignKey(
        "partners.Partnership", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    app = models.OneToOneField(
        "socialaccount.SocialApp", on_delete=models.CASCADE, related_name="identity_provider"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.app.name

    @property
    def key(self) -> str:
        """The provider's short name, in its addresses (``/accounts/oidc/<key>/…``)."""
        return self.app.provider_id

    @property
    def domains(self) -> list[str]:
        return [row.domain for row in self.email_domains.all()]


class EmailDomain(models.Model):
    """An e-mail domain whose people a provider signs in. Within a workspace a domain
    belongs to one provider, so "Sign in with your company" knows where to send them."""

    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="email_domains"
    )
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    domain = models.CharField(max_length=253)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "domain"], name="sso_one_provider_per_domain"
            )
        ]
        indexes = [models.Index(fields=["domain"], name="sso_domain")]

    def __str__(self) -> str:
        return self.domain
