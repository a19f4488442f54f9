import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("imports", "0001_initial"),
        ("partners", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="importedrecord",
            name="imports_record_by_key",
        ),
        migrations.AlterField(
            model_name="importedrecord",
            name="partnership",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="partners.partnership",
            ),
        ),
        migrations.AlterField(
            model_name="importedrecord",
            name="workspace",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.workspace",
            ),
        ),
        migrations.AddIndex(
            model_name="importedrecord",
            index=models.Index(
                fields=["external_key", "workspace", "partnership", "target", "source"],
                name="imports_record_by_key",
            ),
        ),
    ]
