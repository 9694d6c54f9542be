"""Make published placement results immutable in the database, not only in code (bandit B608 marked nosec: SQL here
is built from this module's constants only).

A publication row never changes; a published run and its assignments refuse updates, deletions and new rows.
PostgreSQL gets one trigger function per table. SQLite (demo and the default test database) gets triggers in its own
syntax that refuse updates and new assignment rows; deletions there are refused in code instead, because Django's
SQLite `flush` between transactional tests empties tables with DELETE, which row triggers would block (PostgreSQL's
flush uses TRUNCATE, which row triggers do not see).
"""
from django.db import migrations

MESSAGE = "published placement results cannot change"

# The SQL below is built from this module's constants only (no input reaches it): bandit's B608 does not apply.
POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION placement_refuse_publication_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}: publication %', OLD.id USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
--

CREATE TRIGGER placement_publication_immutable
    BEFORE UPDATE OR DELETE ON placement_publication
    FOR EACH ROW EXECUTE FUNCTION placement_refuse_publication_change();
--

CREATE OR REPLACE FUNCTION placement_refuse_published_run_change() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM placement_publication WHERE run_id = OLD.id) THEN
        RAISE EXCEPTION '{MESSAGE}: run %', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--

CREATE TRIGGER placement_run_immutable
    BEFORE UPDATE OR DELETE ON placement_placementrun
    FOR EACH ROW EXECUTE FUNCTION placement_refuse_published_run_change();
--

CREATE OR REPLACE FUNCTION placement_refuse_published_assignment_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM placement_publication WHERE run_id = OLD.run_id
    ) THEN
        RAISE EXCEPTION '{MESSAGE}: assignment %', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
        SELECT 1 FROM placement_publication WHERE run_id = NEW.run_id
    ) THEN
        RAISE EXCEPTION '{MESSAGE}: run %', NEW.run_id USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--

CREATE TRIGGER placement_assignment_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON placement_assignment
    FOR EACH ROW EXECUTE FUNCTION placement_refuse_published_assignment_change();
"""  # nosec B608

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS placement_assignment_immutable ON placement_assignment;
DROP FUNCTION IF EXISTS placement_refuse_published_assignment_change();
DROP TRIGGER IF EXISTS placement_run_immutable ON placement_placementrun;
DROP FUNCTION IF EXISTS placement_refuse_published_run_change();
DROP TRIGGER IF EXISTS placement_publication_immutable ON placement_publication;
DROP FUNCTION IF EXISTS placement_refuse_publication_change();
"""

# As above, only this module's constants go into these statements (bandit B608 does not apply).
SQLITE_FORWARD = [
    f"""CREATE TRIGGER placement_publication_immutable BEFORE UPDATE ON placement_publication
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",  # nosec B608
    f"""CREATE TRIGGER placement_run_immutable BEFORE UPDATE ON placement_placementrun
    WHEN EXISTS (SELECT 1 FROM placement_publication WHERE run_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",  # nosec B608
    f"""CREATE TRIGGER placement_assignment_immutable_update BEFORE UPDATE ON placement_assignment
    WHEN EXISTS (SELECT 1 FROM placement_publication WHERE run_id = OLD.run_id OR run_id = NEW.run_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",  # nosec B608
    f"""CREATE TRIGGER placement_assignment_immutable_insert BEFORE INSERT ON placement_assignment
    WHEN EXISTS (SELECT 1 FROM placement_publication WHERE run_id = NEW.run_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",  # nosec B608
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS placement_assignment_immutable_insert;",
    "DROP TRIGGER IF EXISTS placement_assignment_immutable_update;",
    "DROP TRIGGER IF EXISTS placement_run_immutable;",
    "DROP TRIGGER IF EXISTS placement_publication_immutable;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRES_FORWARD.split("\n--\n"):
            if statement.strip():
                # No parameters: the driver must not read the % in RAISE messages as placeholders.
                schema_editor.execute(statement, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement, params=None)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("placement", "0002_cycle_phases_preferences_runs"),
    ]

    operations = [migrations.RunPython(forward, reverse)]
