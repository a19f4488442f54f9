"""gunicorn reads this file from the folder it starts in (`make run`, the README's production
command, the browser tests and the bench all start it here)."""

# The access log never holds the secret in a calendar, invitation or e-mail link.
logger_class = "tandem.core.serverlog.RedactedAccessLog"
