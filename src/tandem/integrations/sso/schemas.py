from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class SsoProviderIn(Schema):
    name: str = Field(description="What Tandem's pages call it, e.g. Fabrikam login.")
    key: str = Field(
        description="Short name in the provider's addresses (/accounts/oidc/{key}/login/"
        "callback/ is the redirect address to register): lower-case letters, digits, dashes."
    )
    issuer: str = Field(description="The issuer address; its discovery document is fetched.")
    client_id: str
    client_secret: str = Field(description="Never returned by any operation.")
    domains: list[str] = Field(description="The e-mail domains whose people it signs in.")
    partnership_id: int | None = Field(
        None,
        description="Set: the partner's own provider, for that partnership's partner-side"
        " people; omitted: the workspace's, for its members.",
    )


class SsoProviderPatch(Schema):
    name: str | None = None
    issuer: str | None = None
    client_id: str | None = None
    client_secret: str | None = Field(None, description="Omitted or empty: kept.")
    domains: list[str] | None = None
    partnership_id: int | None = None


class SsoProviderOut(Schema):
    id: int
    name: str
    key: str
    issuer: str
    client_id: str
    domains: list[str]
    partnership_id: int | None
    redirect_uri: str = Field(description="The address to register with the provider.")
    created_at: datetime


class SignInPolicyIn(Schema):
    require_sso: bool = Field(
        description="Members sign in with the workspace's own provider (owners may still use"
        " a password)."
    )
    require_two_factor: bool = Field(
        description="Members use two-factor authentication (a company sign-in counts)."
    )
    version: int | None = Field(None, description="The version you read; a stale one is a 409.")


class SignInPolicyOut(Schema):
    require_sso: bool
    require_two_factor: bool
    version: int
