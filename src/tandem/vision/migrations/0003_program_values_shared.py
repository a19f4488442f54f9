"""Program values were stored internal yet shown to every partner: they become shared
items, which the partner side sees through the one visibility mechanism. A value the
program keeps to itself is marked internal from now on."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def share_program_values(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Value = apps.get_model("vision", "Value")
    Value.objects.filter(partnership__isnull=True).update(visibility="shared")


def keep_program_values_internal(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Value = apps.get_model("vision", "Value")
    Value.objects.filter(partnership__isnull=True).update(visibility="internal")


class Migration(migrations.Migration):
    dependencies = [("vision", "0002_values_and_company_goals")]

    operations = [migrations.RunPython(share_program_values, keep_program_values_internal)]
