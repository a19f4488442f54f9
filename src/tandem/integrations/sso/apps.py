from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "tandem.integrations.sso"
    label = "sso"
    verbose_name = "Single sign-on: identity providers by OpenID Connect"

    def ready(self) -> None:
        """When a second factor is removed, check the workspace's policy again."""
        from allauth.mfa.signals import authenticator_removed

        from tandem.integrations.sso.policy import forget_second_factor

        authenticator_removed.connect(forget_second_factor, dispatch_uid="sso.second_factor")
