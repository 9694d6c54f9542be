from django.core.management.base import BaseCommand, CommandError

from placement.selectors import published_results_problems


class Command(BaseCommand):
    help = ("Check that every published result is still what was published: its rows against the publication's "
            "hash, its assignment against the run's hash, and the run's snapshot against its own (exit status 1 "
            "when any does not match). The database refuses changes to published rows, but the tables' owner can "
            "disable or drop its triggers; this check shows whether anything changed behind them.")

    def handle(self, *args, **options):
        problems = published_results_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} published results do not match their stored hashes.", returncode=1)
        self.stdout.write(self.style.SUCCESS("Every published result matches its stored hashes."))
