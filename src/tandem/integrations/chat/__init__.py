"""A partnership's shared Slack or Microsoft Teams channel: shared news posted to it."""
