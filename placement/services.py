"""Writes for placement data. Views, commands and the demo call these."""
import csv
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .geo import TAIWAN_COUNTIES, residence_point
from .phases import BEFORE_PLACEMENT, cycle_in_phase, cycle_phase
from .models import (
    PHASE_DEADLINE_FIELDS,
    Assignment,
    Candidate,
    ExamCycle,
    LandOffice,
    Phase,
    PlacementRun,
    PreferenceEntry,
    PreferenceList,
    Publication,
    PublicationNotice,
    SuitabilityScore,
    Vacancy,
)
from .tabular import RowError, TableError, read_table

logger = logging.getLogger(__name__)

LAND_OFFICES_FILE = Path(__file__).resolve().parent / "data" / "land_offices.csv"
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


# ---------------------------------------------------------------------------------------------------------------
# The placement cycle: imports, preference lists, runs and publishing.

class PlacementError(Exception):
    """A placement action that cannot be done now; the message tells the user why and changes nothing."""


def _require_phase(cycle, allowed, message: str) -> None:
    if not cycle_in_phase(cycle, allowed):
        raise PlacementError(message)


def exam_cycle_set_deadlines(*, cycle: ExamCycle, deadlines: dict) -> ExamCycle:
    """Set the phase deadlines of a cycle; each must come after the one before it."""
    fields = [field for _phase_value, field in PHASE_DEADLINE_FIELDS]
    previous = None
    for field in fields:
        value = deadlines.get(field)
        if value is not None and previous is not None and value <= previous:
            raise PlacementError(_("Each deadline must come after the one before it."))
        previous = value if value is not None else previous
    for field in fields:
        setattr(cycle, field, deadlines.get(field))
    cycle.save(update_fields=fields)
    return cycle


# Imports ----------------------------------------------------------------------------------------------------------

CANDIDATE_COLUMNS = ["exam_number", "name", "email", "exam_score", "exam_rank"]
# Optional: where a candidate lives, so the preference page can show each office's distance.
CANDIDATE_RESIDENCE_COLUMNS = ["residence_county", "residence_district"]
VACANCY_COLUMNS = ["office", "seats"]
SUITABILITY_COLUMNS = ["exam_number", "score"]
# Header names staff are likely to use, including the Chinese ones of the exam authority's spreadsheets.
COLUMN_ALIASES = {
    "准考證號碼": "exam_number", "考試號碼": "exam_number", "姓名": "name", "電子郵件": "email",
    "email_address": "email",
    "score": "exam_score", "成績": "exam_score", "rank": "exam_rank", "名次": "exam_rank",
    "office_code": "office", "office_name": "office", "機關": "office", "地政事務所": "office",
    "居住縣市": "residence_county", "縣市": "residence_county", "居住鄉鎮市區": "residence_district",
    "鄉鎮市區": "residence_district",
    "職缺": "seats", "名額": "seats", "suitability": "score", "妥適性分數": "score",
}


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int
    invited: int = 0


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _integer(text: str) -> int | None:
    value = _decimal(text)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


def _parse_candidates(cycle, content: bytes, filename: str) -> list[dict]:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    table = read_table(content, filename=filename, columns=CANDIDATE_COLUMNS,
                       optional=tuple(CANDIDATE_RESIDENCE_COLUMNS), aliases=COLUMN_ALIASES)
    offices = list(LandOffice.objects.values_list("county", "district", "latitude", "longitude"))
    errors: list[RowError] = []
    rows: list[dict] = []
    seen: dict[str, dict[str, int]] = {"exam_number": {}, "exam_rank": {}, "email": {}}
    for line, raw in table:
        row = {"line": line}
        number = raw["exam_number"]
        if not number:
            errors.append(RowError(line, "exam_number", _("The exam number is empty.")))
        elif len(number) > 20:
            errors.append(RowError(line, "exam_number", _("The exam number is longer than 20 characters.")))
        row["exam_number"] = number
        if not raw["name"]:
            errors.append(RowError(line, "name", _("The name is empty.")))
        row["name"] = raw["name"][:100]
        email = raw["email"].lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(RowError(line, "email", _("%(value)s is not an email address.") % {"value": email or "∅"}))
        row["email"] = email
        score = _decimal(raw["exam_score"])
        if score is None or not 0 <= score <= 100 or score != score.quantize(Decimal("0.01")):
            errors.append(RowError(line, "exam_score", _("The exam score must be a number from 0 to 100 with at "
                                                          "most two decimals.")))
        row["exam_score"] = score
        rank = _integer(raw["exam_rank"])
        if rank is None or rank < 1:
            errors.append(RowError(line, "exam_rank", _("The exam rank must be a whole number of 1 or more.")))
        row["exam_rank"] = rank
        if "residence_county" in raw:
            county = raw["residence_county"].replace("台", "臺")
            if county and county not in TAIWAN_COUNTIES:
                errors.append(RowError(line, "residence_county", _(
                    "%(value)s is not a county or city of Taiwan (write it as in 臺北市 or 新竹縣)."
                ) % {"value": county}))
            row.update(_residence_fields(county, raw.get("residence_district", ""), offices))
        for column in ("exam_number", "exam_rank", "email"):
            value = row[column]
            if value in (None, ""):
                continue
            if value in seen[column]:
                errors.append(RowError(line, column, _("%(value)s already appears in row %(row)s.")
                                       % {"value": value, "row": seen[column][value]}))
            else:
                seen[column][value] = line
        rows.append(row)
    if not errors:
        # A rank already held by a candidate the file does not mention would break the one-rank-per-place rule.
        others = dict(
            Candidate.objects.filter(cycle=cycle).exclude(exam_number__in=seen["exam_number"])
            .values_list("exam_rank", "exam_number")
        )
        for row in rows:
            if row["exam_rank"] in others:
                errors.append(RowError(row["line"], "exam_rank", _(
                    "Exam rank %(rank)s already belongs to candidate %(number)s, who is not in this file."
                ) % {"rank": row["exam_rank"], "number": others[row["exam_rank"]]}))
    if errors:
        raise TableError(errors)
    return rows


def _residence_fields(county: str, district: str, offices) -> dict:
    point = residence_point(county, district, offices)
    return {
        "residence_county": county[:20], "residence_district": district.strip()[:20],
        "residence_latitude": Decimal(f"{point[0]:.5f}") if point else None,
        "residence_longitude": Decimal(f"{point[1]:.5f}") if point else None,
    }


RESIDENCE_FIELDS = ["residence_county", "residence_district", "residence_latitude", "residence_longitude"]


def candidate_residence_set(*, candidate: Candidate, county: str, district: str) -> Candidate:
    """Record where a candidate lives, with coordinates approximated from the land offices' locations."""
    offices = LandOffice.objects.values_list("county", "district", "latitude", "longitude")
    for field, value in _residence_fields(county, district, offices).items():
        setattr(candidate, field, value)
    candidate.save(update_fields=RESIDENCE_FIELDS)
    return candidate


def candidates_import(*, cycle: ExamCycle, content: bytes, filename: str, acting_user=None,
                      send_invitations: bool = True) -> ImportReport:
    """Create or update a cycle's candidates from a table, matching by exam number; all rows or none.

    Every row is validated before anything is written. New candidates with no account get an invitation.
    """
    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import InvitationError, invitation_create

    _require_phase(cycle, BEFORE_PLACEMENT, _("Candidates can no longer be imported: the preference deadline has "
                                              "passed."))
    rows = _parse_candidates(cycle, content, filename)
    existing = {candidate.exam_number: candidate for candidate in Candidate.objects.filter(cycle=cycle)}
    fields = ["name", "email", "exam_score", "exam_rank"]
    # A file without residence columns leaves residences as they are.
    if rows and "residence_county" in rows[0]:
        fields += RESIDENCE_FIELDS
    created = updated = unchanged = invited = 0
    new_candidates: list[Candidate] = []
    with transaction.atomic():
        changed_rows = []
        for row in rows:
            candidate = existing.get(row["exam_number"])
            if candidate is None:
                new_candidates.append(Candidate(cycle=cycle, **{f: row[f] for f in ["exam_number", *fields]}))
                continue
            changed = [field for field in fields if getattr(candidate, field) != row[field]]
            if not changed:
                unchanged += 1
                continue
            changed_rows.append((candidate, row, changed))
        # Ranks may swap between candidates; moving changed ranks out of the way first keeps the unique rule.
        moving = [candidate for candidate, row, changed in changed_rows if "exam_rank" in changed]
        if moving:
            for candidate in moving:
                candidate.exam_rank = candidate.exam_rank + 10_000_000
            Candidate.objects.bulk_update(moving, ["exam_rank"])
        for candidate, row, _changed in changed_rows:
            for field in fields:
                setattr(candidate, field, row[field])
        if changed_rows:
            Candidate.objects.bulk_update([candidate for candidate, _row, _changed in changed_rows], fields)
        updated = len(changed_rows)
        Candidate.objects.bulk_create(new_candidates)
        created = len(new_candidates)
        if send_invitations and new_candidates:
            users = {user.email.lower(): user for user in User.objects.filter(
                email__in=[candidate.email for candidate in new_candidates])}
            for candidate in new_candidates:
                user = users.get(candidate.email)
                if user is not None:
                    # An existing account is linked instead of invited again.
                    if not Candidate.objects.filter(cycle=cycle, user=user).exists():
                        Candidate.objects.filter(pk=candidate.pk).update(user=user)
                    continue
                try:
                    invitation_create(email=candidate.email, role=Role.CANDIDATE, invited_by=acting_user, cycle=cycle)
                except InvitationError:
                    continue  # A pending invitation already covers this address.
                invited += 1
    return ImportReport(created=created, updated=updated, unchanged=unchanged, invited=invited)


def _parse_vacancies(content: bytes, filename: str) -> list[dict]:
    table = read_table(content, filename=filename, columns=VACANCY_COLUMNS, aliases=COLUMN_ALIASES)
    offices = {}
    for office in LandOffice.objects.only("pk", "code", "name"):
        offices[office.code.lower()] = office
        offices[office.name.lower()] = office
    errors: list[RowError] = []
    rows: list[dict] = []
    seen: dict[int, int] = {}
    for line, raw in table:
        office = offices.get(raw["office"].lower())
        if office is None:
            errors.append(RowError(line, "office", _("No land office has the code or name %(value)s.")
                                   % {"value": raw["office"] or "∅"}))
        elif office.pk in seen:
            errors.append(RowError(line, "office", _("%(value)s already appears in row %(row)s.")
                                   % {"value": raw["office"], "row": seen[office.pk]}))
        else:
            seen[office.pk] = line
        seats = _integer(raw["seats"])
        if seats is None or seats < 0 or seats > 999:
            errors.append(RowError(line, "seats", _("Seats must be a whole number from 0 to 999.")))
        rows.append({"office": office, "seats": seats})
    if errors:
        raise TableError(errors)
    return rows


def vacancies_import(*, cycle: ExamCycle, content: bytes, filename: str) -> ImportReport:
    """Create or update a cycle's vacancies from a table, matching by office code or name; all rows or none."""
    _require_phase(cycle, BEFORE_PLACEMENT, _("Vacancies can no longer be imported: the preference deadline has "
                                              "passed."))
    rows = _parse_vacancies(content, filename)
    existing = {vacancy.office_id: vacancy for vacancy in Vacancy.objects.filter(cycle=cycle)}
    created = updated = unchanged = 0
    with transaction.atomic():
        for row in rows:
            vacancy = existing.get(row["office"].pk)
            if vacancy is None:
                Vacancy.objects.create(cycle=cycle, office=row["office"], seats=row["seats"])
                created += 1
            elif vacancy.seats != row["seats"]:
                vacancy.seats = row["seats"]
                vacancy.save(update_fields=["seats"])
                updated += 1
            else:
                unchanged += 1
    return ImportReport(created=created, updated=updated, unchanged=unchanged)


def suitability_import(*, cycle: ExamCycle, office: LandOffice, content: bytes, filename: str) -> ImportReport:
    """Create or update one office's suitability scores from a table, matching by exam number; all rows or none."""
    _require_phase(cycle, BEFORE_PLACEMENT | {Phase.PLACEMENT},
                   _("Suitability scores can no longer change: the result is published."))
    table = read_table(content, filename=filename, columns=SUITABILITY_COLUMNS, aliases=COLUMN_ALIASES)
    candidates = dict(Candidate.objects.filter(cycle=cycle).values_list("exam_number", "pk"))
    errors: list[RowError] = []
    rows = []
    seen: dict[str, int] = {}
    for line, raw in table:
        number = raw["exam_number"]
        if number not in candidates:
            errors.append(RowError(line, "exam_number", _("No candidate of this cycle has the exam number "
                                                          "%(value)s.") % {"value": number or "∅"}))
        elif number in seen:
            errors.append(RowError(line, "exam_number", _("%(value)s already appears in row %(row)s.")
                                   % {"value": number, "row": seen[number]}))
        else:
            seen[number] = line
        score = _decimal(raw["score"])
        if score is None or abs(score) >= 10_000 or score != score.quantize(Decimal("0.001")):
            errors.append(RowError(line, "score", _("The score must be a number below 10000 with at most three "
                                                    "decimals.")))
        rows.append((line, candidates.get(number), score))
    existing = {s.candidate_id: s for s in SuitabilityScore.objects.filter(office=office, candidate__cycle=cycle)}
    for line, candidate_id, score in rows:
        current = existing.get(candidate_id)
        # The focus group's finalised score is the office's own verdict: a file may repeat it but never replace it.
        if (current is not None and score is not None and current.source == SuitabilityScore.Source.FOCUS_GROUP
                and current.score != score):
            errors.append(RowError(line, "exam_number", _(
                "The focus group finalised this candidate's score (%(score)s); an import cannot overwrite it."
            ) % {"score": current.score.normalize()}))
    if errors:
        raise TableError(sorted(errors, key=lambda error: error.row))
    created = updated = unchanged = 0
    with transaction.atomic():
        for _line, candidate_id, score in rows:
            current = existing.get(candidate_id)
            if current is None:
                SuitabilityScore.objects.create(office=office, candidate_id=candidate_id, score=score)
                created += 1
            elif current.score != score:
                current.score = score
                current.save(update_fields=["score"])
                updated += 1
            else:
                unchanged += 1
    return ImportReport(created=created, updated=updated, unchanged=unchanged)


def candidates_export_rows(*, cycle: ExamCycle):
    return Candidate.objects.filter(cycle=cycle).order_by("exam_rank").values_list(
        *CANDIDATE_COLUMNS, *CANDIDATE_RESIDENCE_COLUMNS)


def vacancies_export_rows(*, cycle: ExamCycle):
    return Vacancy.objects.filter(cycle=cycle).order_by("office__sort_order").values_list("office__code", "seats")


# Preference lists ---------------------------------------------------------------------------------------------------

def preference_list_editable(cycle: ExamCycle) -> bool:
    return cycle_phase(cycle) in BEFORE_PLACEMENT


def preference_list_save(*, candidate: Candidate, office_ids: list[int]) -> PreferenceList:
    """Replace a candidate's preference list with offices in the given order; an edit withdraws the submission."""
    from core import clock

    if not preference_list_editable(candidate.cycle):
        raise PlacementError(_("The preference deadline has passed: your list can no longer change."))
    if len(set(office_ids)) != len(office_ids):
        raise PlacementError(_("Each office can appear only once in your list."))
    offering = set(Vacancy.objects.filter(cycle=candidate.cycle_id, seats__gt=0, office_id__in=office_ids)
                   .values_list("office_id", flat=True))
    if set(office_ids) - offering:
        raise PlacementError(_("Your list may only name offices with vacancies in this cycle."))
    with transaction.atomic():
        preference_list, created = PreferenceList.objects.select_for_update().get_or_create(
            candidate=candidate, defaults={"updated_at": clock.now()}
        )
        current = list(preference_list.entries.order_by("position").values_list("office_id", flat=True))
        if not created and current == office_ids:
            return preference_list
        preference_list.entries.all().delete()
        PreferenceEntry.objects.bulk_create(
            PreferenceEntry(preference_list=preference_list, office_id=office_id, position=position)
            for position, office_id in enumerate(office_ids, start=1)
        )
        preference_list.updated_at = clock.now()
        preference_list.submitted_at = None
        preference_list.submitted_sha256 = ""
        preference_list.save(update_fields=["updated_at", "submitted_at", "submitted_sha256"])
    return preference_list


def preference_list_hash(codes: list[str]) -> str:
    from .engine_io import canonical_json, sha256_hex

    return sha256_hex(canonical_json(codes))


def preference_list_submit(*, candidate: Candidate) -> PreferenceList:
    """Record the time and SHA-256 of the candidate's current list as their submission."""
    from core import clock

    if not preference_list_editable(candidate.cycle):
        raise PlacementError(_("The preference deadline has passed: your list can no longer change."))
    with transaction.atomic():
        preference_list = PreferenceList.objects.select_for_update().filter(candidate=candidate).first()
        codes = list(preference_list.entries.order_by("position").values_list("office__code", flat=True)) if (
            preference_list) else []
        if not codes:
            raise PlacementError(_("Add at least one office to your list before submitting it."))
        preference_list.submitted_at = clock.now()
        preference_list.submitted_sha256 = preference_list_hash(codes)
        preference_list.save(update_fields=["submitted_at", "submitted_sha256"])
    return preference_list


# Runs and publishing ------------------------------------------------------------------------------------------------

def placement_run_start(*, cycle: ExamCycle, policy: str, exam_weight: Decimal, seed: int | None,
                        acting_user=None) -> PlacementRun:
    """Queue a placement run; refuse while the preference phase is open or another run is under way."""
    import secrets

    from django.db import IntegrityError

    from core import clock

    from .tasks import placement_run_execute_task

    _require_phase(cycle, {Phase.PLACEMENT, Phase.PUBLISHED},
                   _("Runs start after the preference deadline, when every list is final."))
    if policy == PlacementRun.Policy.EXAM_RANK:
        exam_weight = Decimal(1)
    if not Decimal(0) <= Decimal(exam_weight) <= Decimal(1):
        raise PlacementError(_("The exam weight must be between 0 and 1."))
    busy = _("Another run of this cycle is still under way. Wait for it to finish.")
    if PlacementRun.objects.filter(cycle=cycle, status__in=[PlacementRun.Status.QUEUED, PlacementRun.Status.RUNNING]
                                   ).exists():
        raise PlacementError(busy)
    try:
        with transaction.atomic():
            run = PlacementRun.objects.create(
                cycle=cycle, policy=policy, exam_weight=exam_weight,
                seed=secrets.randbits(62) if seed is None else seed,
                created_by=acting_user, created_at=clock.now(),
            )
            transaction.on_commit(lambda: placement_run_execute_task.delay(run.pk))
    except IntegrityError:
        # Two clicks racing past the check above meet the database's one-active-run rule.
        raise PlacementError(busy) from None
    return run


def _run_progress(run: PlacementRun, progress: int, **fields) -> None:
    # Saved outside the run's main transaction, so the progress bar of another request can see it.
    PlacementRun.objects.filter(pk=run.pk).update(progress=progress, **fields)


def placement_run_execute(*, run_id: int) -> PlacementRun | None:
    """Load, solve and save a queued run; a run already started or finished is left as it is."""
    from core import clock

    from . import engine
    from .engine_io import (
        assignment_hash,
        assignment_rows,
        assignment_stats_json,
        canonical_json,
        sha256_hex,
        snapshot_build,
        solve_snapshot,
    )

    claimed = PlacementRun.objects.filter(pk=run_id, status=PlacementRun.Status.QUEUED).update(
        status=PlacementRun.Status.RUNNING, progress=5
    )
    run = PlacementRun.objects.select_related("cycle").filter(pk=run_id).first()
    if not claimed or run is None:
        return run
    try:
        data = snapshot_build(cycle=run.cycle, policy=run.policy, exam_weight=run.exam_weight, seed=run.seed)
        snapshot = canonical_json(data)
        _run_progress(run, 30)
        solved = solve_snapshot(data)
        _run_progress(run, 60)
        with transaction.atomic():
            Assignment.objects.filter(run=run).delete()
            Assignment.objects.bulk_create(assignment_rows(run=run, solved=solved), batch_size=2000)
            run.snapshot = snapshot
            run.snapshot_sha256 = sha256_hex(snapshot)
            run.engine_version = engine.ENGINE_VERSION
            run.assignment_sha256 = assignment_hash(solved.assignment)
            run.blocking_pairs = len(solved.blocking_pairs)
            run.stats = assignment_stats_json(solved)
            run.status = PlacementRun.Status.SUCCEEDED
            run.progress = 100
            run.finished_at = clock.now()
            run.save()
    except Exception as error:
        # The failure is kept on the run for staff to read; raising would only make the worker retry the same input.
        logger.exception("Placement run %s failed.", run.pk)
        _run_progress(run, 100, status=PlacementRun.Status.FAILED, error=str(error)[:2000], finished_at=clock.now())
    return run


def run_is_stale(run: PlacementRun) -> bool:
    """Say whether the cycle's inputs changed since the run took its snapshot."""
    from .engine_io import canonical_json, sha256_hex, snapshot_build

    data = snapshot_build(cycle=run.cycle, policy=run.policy, exam_weight=run.exam_weight, seed=run.seed)
    return sha256_hex(canonical_json(data)) != run.snapshot_sha256


def publication_create(*, run: PlacementRun, acting_user=None, reason: str = "") -> Publication:
    """Publish a finished, stable, current run; a later publication supersedes the earlier one."""
    from core import clock

    from .tasks import publication_notify_task

    with transaction.atomic():
        # Locking the cycle row serialises publishing, so two publications cannot both supersede the same one.
        cycle = ExamCycle.objects.select_for_update().get(pk=run.cycle_id)
        run = PlacementRun.objects.get(pk=run.pk)
        _require_phase(cycle, {Phase.PLACEMENT, Phase.PUBLISHED},
                       _("Results are published after the preference deadline."))
        if run.status != PlacementRun.Status.SUCCEEDED:
            raise PlacementError(_("Only a finished run can be published."))
        if Publication.objects.filter(run=run).exists():
            raise PlacementError(_("This run is already published."))
        if run.blocking_pairs:
            raise PlacementError(_("This run is not stable (%(n)s blocking pairs) and cannot be published.")
                                 % {"n": run.blocking_pairs})
        if run_is_stale(run):
            raise PlacementError(_("The inputs changed after this run took its snapshot. Start a new run and "
                                   "publish that one."))
        current = Publication.objects.filter(cycle=cycle, superseded_by__isnull=True).first()
        if current is not None and not reason.strip():
            raise PlacementError(_("Say why this run replaces the published one."))
        publication = Publication.objects.create(
            cycle=cycle, run=run, supersedes=current, published_at=clock.now(), published_by=acting_user,
            reason=reason.strip(),
        )
        transaction.on_commit(lambda: publication_notify_task.delay(publication.pk))
    return publication


def publication_notify(*, publication_id: int) -> int:
    """Email every candidate their result and every office its placements; return the number of emails sent.

    Sending is recorded, so a retried task sends nothing twice.
    """
    from django.conf import settings
    from django.core.mail import EmailMessage, get_connection
    from django.template.loader import render_to_string
    from django.utils import translation

    from accounts.models import RoleGrant

    with transaction.atomic():
        notice, created = PublicationNotice.objects.select_for_update().get_or_create(publication_id=publication_id)
        if not created:
            return 0
        publication = Publication.objects.select_related("cycle", "run").get(pk=publication_id)
        assignments = list(Assignment.objects.filter(run=publication.run).select_related("candidate", "office"))
        messages = []
        by_office: dict[int, list[Assignment]] = {}
        with translation.override(settings.LANGUAGE_CODE):
            for assignment in assignments:
                context = {"publication": publication, "assignment": assignment, "site_url": settings.SITE_URL}
                messages.append(EmailMessage(
                    render_to_string("placement/email/result_subject.txt", context).strip(),
                    render_to_string("placement/email/result_body.txt", context),
                    to=[assignment.candidate.email],
                ))
                if assignment.office_id:
                    by_office.setdefault(assignment.office_id, []).append(assignment)
            grants = RoleGrant.objects.filter(office_id__in=by_office).select_related("user", "office")
            recipients: dict[int, set[str]] = {}
            for grant in grants:
                recipients.setdefault(grant.office_id, set()).add(grant.user.email)
            for office_id, placed in by_office.items():
                if office_id not in recipients:
                    continue
                context = {"publication": publication, "office": placed[0].office, "placed": placed,
                           "site_url": settings.SITE_URL}
                messages.append(EmailMessage(
                    render_to_string("placement/email/office_subject.txt", context).strip(),
                    render_to_string("placement/email/office_body.txt", context),
                    to=sorted(recipients[office_id]),
                ))
        get_connection().send_messages(messages)
        notice.emails = len(messages)
        notice.save(update_fields=["emails"])
    return len(messages)
