from __future__ import annotations

from django.utils import timezone

from tandem.core.forms import ScopedItemForm
from tandem.relationship.checkins.models import CheckIn


class CheckInForm(ScopedItemForm):
    class Meta:
        model = CheckIn
        placeholders = {
            "title": "e.g. November check-in, or SaaStr dinner",
            "participants": "e.g. Maria, Pat, their VP Sales",
        }
        help_texts = {"held_on": "A date to come plans it; a past date records it as held."}
        initial = {"held_on": timezone.localdate}
