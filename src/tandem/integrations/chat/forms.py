from __future__ import annotations

from django import forms

from tandem.integrations.chat.models import POSTS, Kind


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(
        label="Service",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose Slack or Microsoft Teams."},
    )
    url = forms.CharField(
        label="Incoming-webhook address",
        max_length=500,
        help_text="Slack: an app's incoming webhook (https://hooks.slack.com/services/…). Teams:"
        " a Workflows “post to a channel when a webhook request is received” address. Keep it"
        " secret: anyone holding it can post to the channel.",
        widget=forms.URLInput(attrs={"autocomplete": "off", "placeholder": "https://"}),
        error_messages={"required": "Paste the channel's incoming-webhook address."},
    )
    name = forms.CharField(
        label="Name",
        max_length=100,
        required=False,
        help_text="How you know the channel, such as #acme-northwind.",
    )
    posts = forms.MultipleChoiceField(
        label="What to post",
        choices=list(POSTS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one thing to post."},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not self.is_bound and "posts" not in self.initial:
            self.initial["posts"] = list(POSTS)
