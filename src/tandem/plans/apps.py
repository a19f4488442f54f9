from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "tandem.plans"
    label = "plans"

    def ready(self) -> None:
        # Every recorded change writes an activity entry (tandem.core.services.record): one
        # to a rock, commitment or goal may change a signed plan, and both sides are told.
        # Listening there needs no hook in each app that holds a plan's items.
        from django.db.models.signals import post_save

        from tandem.core.models import ActivityEntry
        from tandem.plans.receivers import on_activity

        post_save.connect(on_activity, sender=ActivityEntry, dispatch_uid="plans.on_activity")

        # The quarterly meeting's closing step shows the quarter's plan and the way to sign.
        from tandem.meetings.sections import QUARTERLY_CLOSING
        from tandem.plans.meeting import closing_step

        if closing_step not in QUARTERLY_CLOSING:
            QUARTERLY_CLOSING.append(closing_step)
