import json

from django.core.management.base import BaseCommand, CommandError

from placement import engine
from placement.engine_io import assignment_hash, published_runs, sha256_hex, solve_any_snapshot
from placement.models import PlacementRun


class Command(BaseCommand):
    help = ("Recompute a placement run, or with --chain every run in force of its cycle (the main placement and "
            "each supplementary round, in order), from the stored snapshots, and report whether the snapshot and "
            "assignment hashes match the stored ones (exit status 1 when any does not).")

    def add_arguments(self, parser):
        parser.add_argument("run", type=int, help="The id of the run.")
        parser.add_argument("--chain", action="store_true",
                            help="Replay the whole chain of published runs of the run's cycle.")

    def handle(self, *args, run: int, chain: bool = False, **options):
        row = PlacementRun.objects.filter(pk=run).first()
        if row is None or row.status != PlacementRun.Status.SUCCEEDED:
            raise CommandError(f"Run {run} does not exist or has not finished.")
        rows = published_runs(row.cycle) if chain else [row]
        if chain and not rows:
            raise CommandError(f"The cycle of run {run} has no published run to replay.")
        if not all(self._replay(item) for item in rows):
            raise CommandError("The replay does not reproduce the stored run.", returncode=1)
        message = (f"The replay reproduces the {len(rows)} stored runs." if chain
                   else "The replay reproduces the stored run.")
        self.stdout.write(self.style.SUCCESS(message))

    def _replay(self, row: PlacementRun) -> bool:
        snapshot_hash = sha256_hex(row.snapshot)
        replayed = assignment_hash(solve_any_snapshot(json.loads(row.snapshot)).assignment)
        snapshot_ok = snapshot_hash == row.snapshot_sha256
        assignment_ok = replayed == row.assignment_sha256
        label = f"round {row.round_number}, follows run {row.follows_id}" if row.follows_id else "main placement"
        self.stdout.write(f"run {row.pk} ({row.get_policy_display()}, {label}, seed {row.seed})")
        self.stdout.write(f"engine   stored {row.engine_version}  now {engine.ENGINE_VERSION}")
        self.stdout.write(f"snapshot stored {row.snapshot_sha256}\n         replay {snapshot_hash}  "
                          f"{'match' if snapshot_ok else 'MISMATCH'}")
        self.stdout.write(f"assignment stored {row.assignment_sha256}\n           replay {replayed}  "
                          f"{'match' if assignment_ok else 'MISMATCH'}")
        return snapshot_ok and assignment_ok
