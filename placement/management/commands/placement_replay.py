import json

from django.core.management.base import BaseCommand, CommandError

from placement import engine
from placement.engine_io import assignment_hash, sha256_hex, solve_snapshot
from placement.models import PlacementRun


class Command(BaseCommand):
    help = ("Recompute a placement run from its stored snapshot and report whether the snapshot and assignment "
            "hashes match the stored ones (exit status 1 when they do not).")

    def add_arguments(self, parser):
        parser.add_argument("run", type=int, help="The id of the run.")

    def handle(self, *args, run: int, **options):
        row = PlacementRun.objects.filter(pk=run).first()
        if row is None or row.status != PlacementRun.Status.SUCCEEDED:
            raise CommandError(f"Run {run} does not exist or has not finished.")
        snapshot_hash = sha256_hex(row.snapshot)
        solved = solve_snapshot(json.loads(row.snapshot))
        replayed = assignment_hash(solved.assignment)
        snapshot_ok = snapshot_hash == row.snapshot_sha256
        assignment_ok = replayed == row.assignment_sha256
        self.stdout.write(f"run {row.pk} ({row.get_policy_display()}, seed {row.seed})")
        self.stdout.write(f"engine   stored {row.engine_version}  now {engine.ENGINE_VERSION}")
        self.stdout.write(f"snapshot stored {row.snapshot_sha256}\n         replay {snapshot_hash}  "
                          f"{'match' if snapshot_ok else 'MISMATCH'}")
        self.stdout.write(f"assignment stored {row.assignment_sha256}\n           replay {replayed}  "
                          f"{'match' if assignment_ok else 'MISMATCH'}")
        if not (snapshot_ok and assignment_ok):
            raise CommandError("The replay does not reproduce the stored run.", returncode=1)
        self.stdout.write(self.style.SUCCESS("The replay reproduces the stored run."))
