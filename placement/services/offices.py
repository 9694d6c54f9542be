"""Loading the land offices of Taiwan from the data file shipped with the project."""
import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from ..models import LandOffice

LAND_OFFICES_FILE = Path(__file__).resolve().parent.parent / "data" / "land_offices.csv"
LAND_OFFICE_COLUMNS = ["code", "name", "name_en", "county", "county_en", "district", "address", "latitude", "longitude"]


class LandOfficeFileError(ValueError):
    """A land-office data file that cannot be loaded; `problems` lists (line, message) pairs."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__("; ".join(f"line {line}: {message}" for line, message in problems[:10]))


@dataclass(frozen=True)
class LoadReport:
    created: int
    updated: int
    unchanged: int


def _parse_land_office_rows(path: Path) -> list[dict]:
    problems: list[tuple[int, str]] = []
    rows: list[dict] = []
    seen_codes: set[str] = set()
    seen_names: set[str] = set()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in LAND_OFFICE_COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise LandOfficeFileError([(1, f"missing columns: {', '.join(missing)}")])
        for line, raw in enumerate(reader, start=2):
            row = {column: (raw.get(column) or "").strip() for column in LAND_OFFICE_COLUMNS}
            for column in ("code", "name", "name_en", "county", "county_en"):
                if not row[column]:
                    problems.append((line, f"{column} is empty"))
            try:
                row["latitude"], row["longitude"] = Decimal(row["latitude"]), Decimal(row["longitude"])
                # Taiwan, Penghu, Kinmen and Matsu all lie inside this box.
                if not (21 <= row["latitude"] <= 27 and 118 <= row["longitude"] <= 123):
                    problems.append((line, "coordinates lie outside Taiwan"))
            except InvalidOperation:
                problems.append((line, "latitude and longitude must be decimal numbers"))
            if row["code"] in seen_codes:
                problems.append((line, f"duplicate code {row['code']}"))
            if row["name"] in seen_names:
                problems.append((line, f"duplicate name {row['name']}"))
            seen_codes.add(row["code"])
            seen_names.add(row["name"])
            row["sort_order"] = line - 1
            rows.append(row)
    if problems:
        raise LandOfficeFileError(problems)
    return rows


def land_offices_load(*, path: Path = LAND_OFFICES_FILE) -> LoadReport:
    """Create or update land offices from a CSV file, matching by code; validate every row before writing."""
    rows = _parse_land_office_rows(path)
    existing = {office.code: office for office in LandOffice.objects.all()}
    created = updated = unchanged = 0
    with transaction.atomic():
        for row in rows:
            office = existing.get(row["code"])
            if office is None:
                LandOffice.objects.create(**row)
                created += 1
                continue
            changed = [field for field, value in row.items() if getattr(office, field) != value]
            if changed:
                for field in changed:
                    setattr(office, field, row[field])
                office.save(update_fields=changed)
                updated += 1
            else:
                unchanged += 1
    return LoadReport(created=created, updated=updated, unchanged=unchanged)
