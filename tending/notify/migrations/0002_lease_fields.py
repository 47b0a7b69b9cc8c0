# The email claim follows the lease convention of tending.lib.claims: the
# token keeps its value under the shared name, and the lease gets its own end
# instead of moving `email_due_at` ahead. A batch leased before this migration
# still waits for its moved `email_due_at`, as it did.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(
            model_name="notification",
            old_name="email_claim",
            new_name="claim",
        ),
        migrations.AddField(
            model_name="notification",
            name="claimed_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
