"""SafetyScreen, moved here from the check-up with its rows.

The table already exists: checkup/0001 created it and checkup/0005 renamed it to
safety_safetyscreen. This migration only tells Django's state that the model now
lives here, and carries the model's content type (and so its permissions) across."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _relabel(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    # A fresh database has no content types yet; post_migrate creates them later.
    if not types.filter(app_label=new, model="safetyscreen").exists():
        types.filter(app_label=old, model="safetyscreen").update(app_label=new)


def _to_safety(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, "checkup", "safety")


def _to_checkup(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, "safety", "checkup")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("checkup", "0005_safetyscreen_to_safety"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SafetyScreen",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("answers", models.JSONField(default=dict)),
                        ("positive", models.BooleanField(default=False)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="safety_screens",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "indexes": [
                            models.Index(
                                fields=["user", "-created_at"],
                                name="safety_safe_user_id_777966_idx",
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(_to_safety, _to_checkup),
    ]
