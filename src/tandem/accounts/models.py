"""Users, workspaces and memberships, invitations (to a workspace or into one partnership)
and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from decimal import Decimal
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from tandem.core.access import Role
from tandem.core.models import Versioned

INVITATION_LIFETIME = timedelta(days=14)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person. They sign in with their e-mail address."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("e-mail address", unique=True)
    name = models.CharField(max_length=120, blank=True)
    title = models.CharField("job title", max_length=120, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # By e-mail address: AbstractUser's manager (typed as the base of this one) asks for a
    # username, which this model does not have.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return (self.name or self.email).split(" ")[0]

    @property
    def initials(self) -> str:
        parts = (self.name or self.email).replace("@", " ").split()
        return "".join(part[0] for part in parts[:2]).upper()


class Workspace(Versioned):
    """The company running a partner program."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    # Goes up with every recorded change to anything in the workspace (see
    # tandem.core.services.record): a cheap "has anything changed?" for page caches and,
    # later, for live pages.
    data_version = models.PositiveBigIntegerField(default=0, editable=False)
    # Seed 001 ("keep your partnerships to a minimum"): how many active partnerships the
    # workspace means to run at once; the focus page warns past it.
    active_partnership_limit = models.PositiveSmallIntegerField(
        "active partnership limit",
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    # How its members sign in (tandem.integrations.sso): only through one of the workspace's
    # identity providers (its owners may still use a password, should the provider fail),
    # and with a second factor (a sign-in through the company's provider counts as one).
    require_sso = models.BooleanField("require single sign-on", default=False)
    require_two_factor = models.BooleanField("require two-factor authentication", default=False)
    activity_visibility = "internal"
    concurrency_fields = ("active_partnership_limit", "require_sso", "require_two_factor")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def workspace_id(self) -> int:
        """A workspace is its own scope: its settings' changes are recorded in it."""
        return self.pk


class Level(models.TextChoices):
    """How senior a member is: seed 001 warns against a high-level manager as the
    day-to-day owner of a tactical partnership."""

    EXECUTIVE = "executive", "Executive"
    MANAGER = "manager", "Manager"
    INDIVIDUAL = "ic", "Individual contributor"


ROLE_CHOICES = [(Role.OWNER, "Owner"), (Role.ADMIN, "Admin"), (Role.MEMBER, "Member")]


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        max_length=8,
        choices=ROLE_CHOICES,
        default=Role.MEMBER,
    )
    level = models.CharField(max_length=12, choices=Level.choices, default=Level.INDIVIDUAL)
    capacity_hours = models.DecimalField(
        "weekly hours for partnerships",
        max_digits=4,
        decimal_places=1,
        default=Decimal("10.0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("80"))],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Level and capacity are edited like any versioned row (tandem.core.services.update).
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    concurrency_fields = ("level", "capacity_hours")

    class Meta:
        ordering = ["user__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="one_membership_per_user")
        ]

    def __str__(self) -> str:
        return str(self.user)


class PartnerAccess(models.Model):
    """A partner-side person's seat in one partnership: they see its shared items only."""

    partnership = models.ForeignKey(
        "partners.Partnership", on_delete=models.CASCADE, related_name="partner_accesses"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="partner_accesses")
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user"], name="one_partner_access_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.partnership}"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An invitation by e-mail: into the workspace (with a role) or, when ``partnership`` is
    set, into that one partnership from the partner's side."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    partnership = models.ForeignKey(
        "partners.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField()
    role = models.CharField(max_length=8, choices=Membership._meta.get_field("role").choices)
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email

    @classmethod
    def new_token(cls) -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_partner_side(self) -> bool:
        return self.partnership_id is not None

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        """Not revoked (an expired token is still found, so its refusal can say so)."""
        return self.filter(revoked_at__isnull=True)


class TokenAccess(models.TextChoices):
    """What a token may do: a read-only token is refused on any call that changes data."""

    READ = "read", "Read-only"
    WRITE = "write", "Read and write"


class ApiToken(models.Model):
    """A personal API token. The secret is shown once; only its SHA-256 digest is stored.
    It acts with its person's access, narrowed to reading when ``access`` is read-only,
    until ``expires_at`` (never, when empty)."""

    PREFIX = "tdm_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    hint = models.CharField(max_length=12)
    token_digest = models.CharField(max_length=64, unique=True)
    access = models.CharField(max_length=5, choices=TokenAccess.choices, default=TokenAccess.WRITE)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_read_only(self) -> bool:
        return self.access == TokenAccess.READ

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
