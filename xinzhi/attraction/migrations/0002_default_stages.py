from django.db import migrations

DEFAULT_STAGES = [
    # order, code, name, stale_after_days, may_skip
    (10, "clue", "线索", 30, False),
    (20, "docking", "对接", 30, False),
    (30, "negotiation", "洽谈", 45, False),
    (40, "signed", "签约", 60, False),
    (50, "registered", "落地注册", 90, False),
    (60, "production", "投产", None, False),
]


def forwards(apps, schema_editor):
    Stage = apps.get_model("attraction", "Stage")
    for order, code, name, stale, skip in DEFAULT_STAGES:
        Stage.objects.get_or_create(
            code=code,
            defaults={"order": order, "name": name, "stale_after_days": stale, "may_skip": skip},
        )


class Migration(migrations.Migration):
    dependencies = [("attraction", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
