from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from placement.models import ExamCycle, LandOffice
from placement.services.common import PlacementError
from placement.services.imports import candidates_import, suitability_import, vacancies_import
from placement.tabular import TableError


class Command(BaseCommand):
    help = ("Import candidates, vacancies or one office's suitability scores into a cycle from a CSV or XLSX file. "
            "Every row is checked first; any problem means nothing is imported.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["candidates", "vacancies", "suitability"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--cycle", type=int, help="Cycle id (default: the current cycle).")
        parser.add_argument("--office", help="Office code, for suitability scores.")
        parser.add_argument("--no-invitations", action="store_true", help="Do not invite new candidates.")

    def handle(self, *args, kind, file: Path, cycle=None, office=None, no_invitations=False, **options):
        cycle_row = ExamCycle.objects.filter(pk=cycle).first() if cycle else ExamCycle.objects.filter(
            is_current=True).first()
        if cycle_row is None:
            raise CommandError("No such exam cycle (pass --cycle with an id, or mark a cycle as current).")
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        try:
            if kind == "candidates":
                report = candidates_import(cycle=cycle_row, content=content, filename=file.name,
                                                    send_invitations=not no_invitations)
            elif kind == "vacancies":
                report = vacancies_import(cycle=cycle_row, content=content, filename=file.name)
            else:
                office_row = LandOffice.objects.filter(code=office).first()
                if office_row is None:
                    raise CommandError("Pass --office with the code of a land office.")
                report = suitability_import(cycle=cycle_row, office=office_row, content=content,
                                                     filename=file.name)
        except TableError as error:
            for problem in error.errors:
                self.stderr.write(f"row {problem.row}\t{problem.column}\t{problem.message}")
            raise CommandError(f"{file}: nothing imported ({len(error.errors)} problems).") from error
        except PlacementError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{kind}: {report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
                          f"{report.invited} invited.")
