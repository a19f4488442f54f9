"""The web server's access log, without the secrets some addresses carry.

A calendar application can only subscribe to an address, so the calendar feed's secret is
part of its URL; invitation and password-reset links are the same. Whoever reads the logs
must not be able to use them: the server writes those parts as ``[secret]``.
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

# Every address that carries a secret (tests/core/test_headers.py walks the URL patterns
# and checks each is covered): the secret runs to the next slash, "?", "#" or ".ics".
SECRET_IN_PATH = re.compile(
    r"(?P<before>/calendar/|/invitations/|/accounts/confirm-email/"
    r"|/accounts/password/reset/key/|/digest/act/)[^/?#\s\"]+?(?=\.ics\b|[/?#\s\"]|$)"
)


def redact(text: str) -> str:
    return SECRET_IN_PATH.sub(r"\g<before>[secret]", text)


class RedactedAccessLog(Logger):
    """gunicorn's logger (set in ``gunicorn.conf.py``, which gunicorn reads from the folder
    it starts in), with the request line, path and referrer redacted."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f", "{referer}i"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms
