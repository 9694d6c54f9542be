"""Fill the snapshot columns of the rows published before they existed, and the hash of each publication's rows.

Published rows refuse every change (migration 0003), so this migration lifts those triggers for its own
transaction only: PostgreSQL disables and re-enables them (which only the tables' owner may do), SQLite drops and
recreates them. The names copied are the current ones, the best record left of what was published.
"""
import hashlib
import importlib
import json

from django.db import migrations
from django.db.models import OuterRef, Subquery

IMMUTABLE = importlib.import_module("placement.migrations.0003_published_results_are_immutable")

POSTGRES_TRIGGERS = [("placement_assignment", "placement_assignment_immutable"),
                     ("placement_publication", "placement_publication_immutable")]
SQLITE_TRIGGERS = ["placement_assignment_immutable_update", "placement_publication_immutable"]

ROW_FIELDS = ["exam_number", "candidate_name", "exam_rank", "office_code", "office_name", "office_name_en",
              "office_county", "office_county_en", "preference_rank"]


def results_hash(rows) -> str:
    # The same text as placement.services.publications.results_hash, frozen here as a migration must be.
    text = json.dumps(sorted(rows, key=lambda row: row[0] or ""), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _triggers(schema_editor, *, enable: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # PostgreSQL alters no table with foreign-key checks still pending in the transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE", params=None)
        for table, trigger in POSTGRES_TRIGGERS:
            schema_editor.execute(f"ALTER TABLE {table} {'ENABLE' if enable else 'DISABLE'} TRIGGER {trigger}",
                                  params=None)
    elif vendor == "sqlite":
        if enable:
            for statement in IMMUTABLE.SQLITE_FORWARD:
                if any(f"TRIGGER {name} " in statement for name in SQLITE_TRIGGERS):
                    schema_editor.execute(statement, params=None)
        else:
            for name in SQLITE_TRIGGERS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)


def fill(apps, schema_editor):
    Assignment = apps.get_model("placement", "Assignment")
    Candidate = apps.get_model("placement", "Candidate")
    LandOffice = apps.get_model("placement", "LandOffice")
    Publication = apps.get_model("placement", "Publication")
    publications = list(Publication.objects.filter(results_sha256__isnull=True))
    if not publications:
        return
    _triggers(schema_editor, enable=False)
    candidate = Candidate.objects.filter(pk=OuterRef("candidate_id"))
    office = LandOffice.objects.filter(pk=OuterRef("office_id"))
    Assignment.objects.filter(run_id__in=[publication.run_id for publication in publications]).update(
        exam_number=Subquery(candidate.values("exam_number")[:1]),
        candidate_name=Subquery(candidate.values("name")[:1]),
        exam_rank=Subquery(candidate.values("exam_rank")[:1]),
        office_code=Subquery(office.values("code")[:1]),
        office_name=Subquery(office.values("name")[:1]),
        office_name_en=Subquery(office.values("name_en")[:1]),
        office_county=Subquery(office.values("county")[:1]),
        office_county_en=Subquery(office.values("county_en")[:1]),
    )
    for publication in publications:
        rows = [list(row) for row in Assignment.objects.filter(run_id=publication.run_id).values_list(*ROW_FIELDS)]
        Publication.objects.filter(pk=publication.pk).update(results_sha256=results_hash(rows))
    _triggers(schema_editor, enable=True)


class Migration(migrations.Migration):

    dependencies = [
        ("placement", "0010_assignment_published_snapshot"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
