"""The shipped sentence templates (data/templates.yaml), so production has them too."""

from django.db import migrations


def load(apps, schema_editor):
    from xinzhi.briefings.defaults import install

    install(apps.get_model("briefings", "Section"), apps.get_model("briefings", "SentenceTemplate"))


class Migration(migrations.Migration):
    dependencies = [("briefings", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
