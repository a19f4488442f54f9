"""One sentence, printed when the web server and the task worker start, saying where mails go.

Without a mail server the console backend prints each mail in the log of the process that
sends it: the web server's for sign-in mails (address confirmation, password reset), the
worker's for invitations, asks and meeting recaps. A new user reading `make run`'s console
should not have to know that.
"""

from __future__ import annotations

from django.conf import settings


def where_mails_go() -> str:
    backend = settings.EMAIL_BACKEND
    if backend.endswith("console.EmailBackend"):
        return (
            "No mail server set (EMAIL_URL): mails are printed in this console instead — "
            "sign-in mails by the web server, invitations, asks and recaps by the worker. "
            f"Their links start with {settings.SITE_URL}."
        )
    if backend.endswith("smtp.EmailBackend"):
        return (
            f"Mails are sent through {settings.EMAIL_HOST}:{settings.EMAIL_PORT}; "
            f"their links start with {settings.SITE_URL}."
        )
    return f"Mails go to {backend}; their links start with {settings.SITE_URL}."
