"""Imports of candidates, vacancies and suitability scores from staff's tables: all rows or none."""
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from accounts.services import InvitationError, invitation_create
from core.audit import audit_event

from ..columns import (
    CANDIDATE_COLUMNS,
    CANDIDATE_RESIDENCE_COLUMNS,
    COLUMN_ALIASES,
    SUITABILITY_COLUMNS,
    VACANCY_COLUMNS,
)
from ..models import Candidate, ExamCycle, LandOffice, Phase, SuitabilityScore, Vacancy
from ..phases import BEFORE_PLACEMENT, cycle_in_phase
from ..tabular import RowError, TableError, errors_full, read_table
from .candidates import RESIDENCE_FIELDS, residence_fields, residence_problem
from .common import ImportReport, require_phase

# The suitability scale (適性分數): an office scores each candidate from 0 to 100, with at most three decimals. The
# blended policy rescales each office's scores over the candidates it scored, so only their order within the office
# matters; the fixed scale keeps a mistyped 150 or −5 from distorting that order unnoticed.
SUITABILITY_MIN = Decimal(0)
SUITABILITY_MAX = Decimal(100)
SUITABILITY_PLACES = Decimal("0.001")

# The phases in which each kind of import may change the cycle.
IMPORT_PHASES = {
    "candidates": BEFORE_PLACEMENT,
    "vacancies": BEFORE_PLACEMENT,
    "suitability": BEFORE_PLACEMENT | {Phase.PLACEMENT},
}


def _closed_message(kind: str) -> str:
    if kind == "candidates":
        return _("Candidates can no longer be imported: the preference deadline has passed.")
    if kind == "vacancies":
        return _("Vacancies can no longer be imported: the preference deadline has passed.")
    return _("Suitability scores can no longer change: the result is published.")


def import_closed_reason(*, cycle: ExamCycle, kind: str) -> str | None:
    """Return why the cycle refuses this kind of import now, or None while it accepts one."""
    return None if cycle_in_phase(cycle, IMPORT_PHASES[kind]) else _closed_message(kind)


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
            county, district = raw["residence_county"], raw.get("residence_district", "")
            problem = residence_problem(county, district)
            if problem is not None:
                errors.append(RowError(line, *problem))
            row.update(residence_fields(county, district, offices))
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
        if errors_full(errors):
            break  # The first problems are listed; checking the rest of a bad file helps nobody.
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


def candidates_import(*, cycle: ExamCycle, content: bytes, filename: str, acting_user=None,
                      send_invitations: bool = True) -> ImportReport:
    """Create or update a cycle's candidates from a table, matching by exam number; all rows or none.

    Every row is validated before anything is written. New candidates with no account get an invitation.
    """
    require_phase(cycle, IMPORT_PHASES["candidates"], _closed_message("candidates"))
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
        candidate_changes: dict[str, dict[str, list]] = {}
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
            # Bulk updates send no signals, so the import's own entry carries each candidate's old → new values.
            candidate_changes[candidate.exam_number] = {
                field: [getattr(candidate, field), row[field]] for field in changed}
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
        audit_event(cycle, "exam_cycle.candidates_imported", file=filename, created=created, updated=updated,
                    unchanged=unchanged, invited=invited, changed_candidates=candidate_changes,
                    new_candidates=[candidate.exam_number for candidate in new_candidates])
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
        if errors_full(errors):
            break
    if errors:
        raise TableError(errors)
    return rows


def vacancies_import(*, cycle: ExamCycle, content: bytes, filename: str) -> ImportReport:
    """Create or update a cycle's vacancies from a table, matching by office code or name; all rows or none."""
    require_phase(cycle, IMPORT_PHASES["vacancies"], _closed_message("vacancies"))
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
        audit_event(cycle, "exam_cycle.vacancies_imported", file=filename, created=created, updated=updated,
                    unchanged=unchanged)
    return ImportReport(created=created, updated=updated, unchanged=unchanged)


def suitability_import(*, cycle: ExamCycle, office: LandOffice, content: bytes, filename: str) -> ImportReport:
    """Create or update one office's suitability scores from a table, matching by exam number; all rows or none."""
    require_phase(cycle, IMPORT_PHASES["suitability"], _closed_message("suitability"))
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
        if (score is None or not SUITABILITY_MIN <= score <= SUITABILITY_MAX
                or score != score.quantize(SUITABILITY_PLACES)):
            errors.append(RowError(line, "score", _(
                "The score must be a number on the suitability scale, from %(min)s to %(max)s, with at most three "
                "decimals; %(value)s is not.") % {"min": SUITABILITY_MIN, "max": SUITABILITY_MAX,
                                                  "value": raw["score"] or "∅"}))
        rows.append((line, candidates.get(number), score))
        if errors_full(errors):
            break
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
        audit_event(cycle, "exam_cycle.suitability_imported", file=filename, office=office.code, created=created,
                    updated=updated, unchanged=unchanged)
    return ImportReport(created=created, updated=updated, unchanged=unchanged)
