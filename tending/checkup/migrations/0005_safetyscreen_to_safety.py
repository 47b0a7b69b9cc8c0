"""The safety screen leaves the check-up for its own app, tending.safety.

No row is copied. The table is renamed to safety_safetyscreen and its index to the
name Django derives from the new table, so the moved model needs no `db_table` and
reads like any model of the safety app; a rename is a metadata change on PostgreSQL
and SQLite alike (SQLite cannot rename an index, so Django drops and rebuilds that one,
which is quick on a table of one row per screen taken). The primary key, the user
foreign key and its index keep the names they were created with: Django finds those
by introspection, and a fresh database ends up exactly like an upgraded one.

Here the model only leaves the check-up's state; safety/0001_initial, which depends on
this migration, adds it to the safety app's state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("checkup", "0004_visibility_check"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RenameIndex(
                    model_name="safetyscreen",
                    old_name="checkup_saf_user_id_bebf5b_idx",
                    new_name="safety_safe_user_id_777966_idx",
                ),
                migrations.AlterModelTable(name="safetyscreen", table="safety_safetyscreen"),
            ],
            state_operations=[
                migrations.DeleteModel(name="SafetyScreen"),
            ],
        ),
    ]
