from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from placement.services.offices import LAND_OFFICES_FILE, LandOfficeFileError, land_offices_load


class Command(BaseCommand):
    help = "Load Taiwan's land offices from a CSV file (default: the bundled data file); safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=LAND_OFFICES_FILE)

    def handle(self, *args, file: Path, **options):
        try:
            report = land_offices_load(path=file)
        except LandOfficeFileError as error:
            raise CommandError(f"{file}: nothing loaded. {error}") from error
        self.stdout.write(
            f"Land offices: {report.created} created, {report.updated} updated, {report.unchanged} unchanged."
        )
