"""Refuse TRUNCATE of the tables that hold published results, which the row triggers of migration 0003 never see.

PostgreSQL only (SQLite has no TRUNCATE). Each table gets a statement trigger that refuses the TRUNCATE as soon as
anything is published; a TRUNCATE ... CASCADE from another table reaches these triggers too. A session that means
to wipe the database (the test suite's flush between transactional tests) says so with
`SET placement.allow_truncate = 'on'`.

The triggers guard against mistakes and against a database user that is not the tables' owner. The owner (or a
superuser) can still `ALTER TABLE ... DISABLE TRIGGER` or drop them: run the application as a user that does not
own the tables where that matters, and run `manage.py placement_verify`, which recomputes the hashes of every
published run and publication and reports any row changed since publishing.
"""
from django.db import migrations

MESSAGE = "published placement results cannot change"
TABLES = ["placement_publication", "placement_placementrun", "placement_assignment"]

# Built from this module's constants only (no input reaches it): bandit's B608 does not apply.
FUNCTION = f"""
CREATE OR REPLACE FUNCTION placement_refuse_published_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('placement.allow_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM placement_publication) THEN
        RAISE EXCEPTION '{MESSAGE}: TRUNCATE %', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""  # nosec B608


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # No parameters: the driver must not read the % in RAISE messages as placeholders.
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                              f"FOR EACH STATEMENT EXECUTE FUNCTION placement_refuse_published_truncate()",
                              params=None)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}", params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS placement_refuse_published_truncate()", params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("placement", "0011_published_snapshot_fill"),
    ]

    operations = [migrations.RunPython(forward, reverse)]
