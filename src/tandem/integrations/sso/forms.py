from __future__ import annotations

from typing import Any

from django import forms


class ProviderForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=40,
        help_text="What Tandem's pages call it, e.g. Northwind login.",
    )
    key = forms.CharField(
        label="Short name",
        max_length=40,
        help_text="Lower-case letters, digits and dashes; it is part of the addresses below.",
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    partnership_id = forms.TypedChoiceField(
        label="Who signs in with it",
        coerce=str,
        required=False,
        help_text="The workspace's members, or one partnership's partner-side people with"
        " their own company's login.",
    )
    issuer = forms.CharField(
        label="Issuer address",
        max_length=500,
        help_text="The provider's address; its discovery document sits under it"
        " (/.well-known/openid-configuration).",
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
    )
    client_id = forms.CharField(label="Client id", max_length=191)
    client_secret = forms.CharField(
        label="Client secret",
        max_length=191,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
    )
    domains = forms.CharField(
        label="E-mail domains",
        max_length=2000,
        help_text="Whose addresses it signs in, e.g. northwind.com; separate several with"
        " commas. Nobody else may sign in with it.",
    )

    def __init__(
        self, *args: Any, partnerships: list[tuple[int, str]], editing: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        who = self.fields["partnership_id"]
        assert isinstance(who, forms.ChoiceField)
        who.choices = [
            ("", "The workspace's members"),
            *((str(pk), f"{name}: its partner-side people") for pk, name in partnerships),
        ]
        if editing:
            # The short name is in the address registered with the provider: it stays.
            del self.fields["key"]
            self.fields["client_secret"].help_text = "Leave it blank to keep the current one."


class PolicyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    require_sso = forms.BooleanField(
        label="Members sign in with the workspace's identity provider",
        required=False,
        help_text="A member who signs in with a password is signed out again. Owners may still"
        " use their password, so a provider that fails never locks the workspace out.",
    )
    require_two_factor = forms.BooleanField(
        label="Members use two-factor authentication",
        required=False,
        help_text="A member without an authenticator app is asked to set one up before"
        " anything else. A sign-in with the company's login counts: it has its own.",
    )


class CompanySignInForm(forms.Form):
    email = forms.EmailField(
        label="Work e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
