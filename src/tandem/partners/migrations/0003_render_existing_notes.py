from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def render_notes(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from tandem.core.markdown import render

    Note = apps.get_model("partners", "Note")
    for note in Note.objects.filter(body_html="").exclude(body="").iterator():
        Note.objects.filter(pk=note.pk).update(body_html=render(note.body))


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_note_body_html")]

    operations = [migrations.RunPython(render_notes, migrations.RunPython.noop)]
