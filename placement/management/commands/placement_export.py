from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from placement.columns import CANDIDATE_COLUMNS, CANDIDATE_RESIDENCE_COLUMNS, VACANCY_COLUMNS
from placement.models import ExamCycle
from placement.selectors import candidates_export_rows, vacancies_export_rows
from placement.tabular import write_table


class Command(BaseCommand):
    help = "Export a cycle's candidates or vacancies to a CSV or XLSX file, in the shape the import reads."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["candidates", "vacancies"])
        parser.add_argument("file", type=Path, help="Where to write; .xlsx writes a workbook, anything else CSV.")
        parser.add_argument("--cycle", type=int, help="Cycle id (default: the current cycle).")

    def handle(self, *args, kind, file: Path, cycle=None, **options):
        cycle_row = ExamCycle.objects.filter(pk=cycle).first() if cycle else ExamCycle.objects.filter(
            is_current=True).first()
        if cycle_row is None:
            raise CommandError("No such exam cycle.")
        if kind == "candidates":
            columns, rows = CANDIDATE_COLUMNS + CANDIDATE_RESIDENCE_COLUMNS, candidates_export_rows(cycle=cycle_row)
        else:
            columns, rows = VACANCY_COLUMNS, vacancies_export_rows(cycle=cycle_row)
        content, _type = write_table(columns, rows, fmt="xlsx" if file.suffix.lower() == ".xlsx" else "csv")
        file.write_bytes(content)
        self.stdout.write(f"Wrote {file}.")
