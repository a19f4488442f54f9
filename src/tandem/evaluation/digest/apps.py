from django.apps import AppConfig


class DigestConfig(AppConfig):
    name = "tandem.evaluation.digest"
    label = "digest"
    verbose_name = "Digest: the weekly e-mail and its one-click links"

    def ready(self) -> None:
        """Look for the digests due every hour, on the real worker."""
        from tandem.core.schedule import every
        from tandem.evaluation.digest.tasks import send_digests

        every("hour", send_digests)
