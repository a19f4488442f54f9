"""gunicorn reads this file from the folder it starts in (`make run`, the README's production
command, the browser tests and the bench all start it here)."""

# The access log never holds the secret in a calendar, invitation, e-mail or digest link.
logger_class = "tandem.core.serverlog.RedactedAccessLog"


def when_ready(server):  # noqa: ANN001, ANN201 - gunicorn's hook signature
    """Say where the app answers and where its mails go, once the server listens."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    from tandem.core.mailinfo import where_mails_go

    server.log.info("Tandem is listening on %s", ", ".join(str(s) for s in server.LISTENERS))
    server.log.info(where_mails_go())
