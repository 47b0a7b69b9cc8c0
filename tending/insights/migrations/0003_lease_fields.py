# The import's claim follows the lease convention of tending.lib.claims: the
# last sign of life (`beat_at`) becomes the lease's end, `claimed_until`, ten
# minutes later (the job's LEASE when this was written), so an import being
# read when this runs is given back exactly when it would have been.
# `claimed_at` was written and never read.

from datetime import timedelta

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Coalesce

LEASE = timedelta(minutes=10)


def beat_to_lease(apps, schema_editor):
    ChatImport = apps.get_model("insights", "ChatImport")
    ChatImport.objects.exclude(claim="").update(
        claimed_until=Coalesce("beat_at", "claimed_at") + LEASE
    )


def lease_to_beat(apps, schema_editor):
    ChatImport = apps.get_model("insights", "ChatImport")
    ChatImport.objects.exclude(claim="").update(
        beat_at=F("claimed_until") - LEASE, claimed_at=F("claimed_until") - LEASE
    )


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0002_visibility_check"),
    ]

    operations = [
        migrations.AddField(
            model_name="chatimport",
            name="claimed_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(beat_to_lease, lease_to_beat),
        migrations.RemoveField(model_name="chatimport", name="beat_at"),
        migrations.RemoveField(model_name="chatimport", name="claimed_at"),
    ]
