from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _confirmed_addresses(request: Any) -> None:
    """Sign-in asks for a confirmed address (ACCOUNT_EMAIL_VERIFICATION); the cast's are, as
    the demo's and every invited person's are."""
    if "world" not in request.fixturenames:
        return
    from allauth.account.models import EmailAddress

    from tandem.accounts.models import User

    request.getfixturevalue("world")
    for user in User.objects.all():
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
