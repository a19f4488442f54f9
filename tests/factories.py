"""Factories for the cast of the tests. Factories, not fixture files."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from tandem.accounts.models import Membership, PartnerAccess, User, Workspace
from tandem.core import markdown
from tandem.core.access import Role, Visibility
from tandem.partners.models import Contact, Note, Partnership


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    password = factory.django.Password("correct-horse-battery")


class WorkspaceFactory(DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Partner {n}")
    stage = "active"


class PartnerAccessFactory(DjangoModelFactory):
    class Meta:
        model = PartnerAccess

    partnership = factory.SubFactory(PartnershipFactory)
    user = factory.SubFactory(UserFactory)


class NoteFactory(DjangoModelFactory):
    class Meta:
        model = Note

    partnership = factory.SubFactory(PartnershipFactory)
    workspace = factory.SelfAttribute("partnership.workspace")
    title = factory.Sequence(lambda n: f"Note {n}")
    body = "Agreed next steps."
    body_html = factory.LazyAttribute(lambda note: markdown.render(note.body))
    visibility = Visibility.SHARED


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    partnership = factory.SubFactory(PartnershipFactory)
    workspace = factory.SelfAttribute("partnership.workspace")
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"contact{n}@partner.example")


def diligence_decision(
    partnership, *, by, decision="go", rationale="References checked; good fit."
):  # type: ignore[no-untyped-def]
    """A decided due diligence assessment of ``partnership`` (a go unless told), as if
    ``by`` had scored every criterion with evidence and decided: the stage rule lets a
    partnership with a go become active."""
    from django.utils import timezone

    from tandem.relationship.diligence.models import Assessment, Score

    assessment = Assessment.objects.create(
        workspace_id=partnership.workspace_id,
        partnership=partnership,
        visibility=Visibility.INTERNAL,
        decision=decision,
        rationale=rationale,
        decided_by=by,
        decided_at=timezone.now(),
        score_percent=80 if decision == "go" else 40,
        created_by=by,
    )
    Score.objects.create(
        assessment=assessment,
        name="Credibility",
        weight=3,
        position=1,
        score=4 if decision == "go" else 2,
        evidence="Three customer references called.",
    )
    return assessment
