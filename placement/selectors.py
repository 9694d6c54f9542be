"""Reads for placement pages; each fixes its own query shape so that no page grows queries with its rows."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import RoleGrant

from . import engine
from .columns import CANDIDATE_COLUMNS, CANDIDATE_RESIDENCE_COLUMNS
from .engine_io import (
    HOLDING_STATES,
    assignment_hash,
    canonical_json,
    instance_for_snapshot,
    published_runs,
    run_assignment,
    sha256_hex,
    snapshot_for_run,
    snapshot_load,
)
from .geo import haversine_km
from .models import (
    PUBLISHED_FIELDS,
    Assignment,
    Candidate,
    ExamCycle,
    LandOffice,
    LateVacancy,
    Phase,
    PlacementRun,
    PlaceResponse,
    PreferenceEntry,
    PreferenceList,
    Publication,
    PublicationEmail,
    Vacancy,
)
from .phases import cycle_phase


def candidate_ids_ranking_offices(*, office_ids) -> QuerySet:
    """Return, as a subquery, the ids of candidates whose preference list names any of these offices."""
    return PreferenceEntry.objects.filter(office_id__in=office_ids).values("preference_list__candidate_id")


def candidates_with_ids(*, candidate_ids) -> QuerySet[Candidate]:
    """Return the candidates with these ids (a subquery will do), newest cycle first, then by exam rank."""
    return Candidate.objects.filter(pk__in=candidate_ids).select_related("cycle").order_by(
        "-cycle__year", "-cycle_id", "exam_rank")


def current_cycle() -> ExamCycle | None:
    return ExamCycle.objects.filter(is_current=True).first()


def office_list(*, cycle: ExamCycle | None) -> QuerySet[LandOffice]:
    """Return land offices with the seats each offers in the cycle (0 when it offers none)."""
    seats = Vacancy.objects.filter(cycle=cycle, office=OuterRef("pk")).values("seats")[:1]
    return LandOffice.objects.annotate(
        seats=Coalesce(Subquery(seats, output_field=IntegerField()), 0)
    ).order_by("sort_order", "name")


def office_counties() -> list[tuple[str, str]]:
    """Return (county, English county) pairs in the data file's order."""
    seen = {}
    for county, county_en in LandOffice.objects.order_by("sort_order").values_list("county", "county_en"):
        seen.setdefault(county, county_en)
    return list(seen.items())


def cycle_candidates(*, cycle: ExamCycle) -> QuerySet[Candidate]:
    return Candidate.objects.filter(cycle=cycle).select_related("user").order_by("exam_rank")


@dataclass(frozen=True)
class CycleSummary:
    cycle: ExamCycle
    candidates: int
    candidates_with_account: int
    offices_with_vacancies: int
    seats: int
    phase: PhaseInfo


def with_published(cycles: QuerySet[ExamCycle]) -> QuerySet[ExamCycle]:
    """Annotate each cycle with whether it has a publication, which ends its last phase."""
    return cycles.annotate(published=Exists(Publication.objects.filter(cycle=OuterRef("pk"))))


@dataclass(frozen=True)
class PhaseInfo:
    phase: str
    label: str
    deadline: object  # The datetime that ends the phase, or None.
    number: int  # 1-based place of the phase in the cycle.
    total: int


def phase_info(cycle: ExamCycle, published: bool | None = None) -> PhaseInfo:
    """Return the cycle's current phase; pass `published` when the query already annotated it."""
    if published is None:
        published = getattr(cycle, "published", None)
    phase = cycle_phase(cycle, published=published)
    return PhaseInfo(phase=phase, label=Phase(phase).label, deadline=cycle.phase_deadline(phase),
                     number=list(Phase).index(phase) + 1, total=len(Phase))


def current_cycle_with_phase() -> tuple[ExamCycle | None, PhaseInfo | None]:
    cycle = with_published(ExamCycle.objects.filter(is_current=True)).first()
    return cycle, (phase_info(cycle) if cycle else None)


def cycle_summaries() -> list[CycleSummary]:
    """Return one summary per cycle, current first, in three queries whatever the number of cycles."""
    cycles = list(with_published(ExamCycle.objects.order_by("-is_current", "-year", "-pk")))
    candidate_counts = {
        row["cycle"]: row
        for row in Candidate.objects.values("cycle").annotate(
            total=Count("pk"), with_account=Count("pk", filter=Q(user__isnull=False))
        )
    }
    vacancy_counts = {
        row["cycle"]: row
        for row in Vacancy.objects.filter(seats__gt=0).values("cycle").annotate(offices=Count("pk"), seats=Sum("seats"))
    }
    return [
        CycleSummary(
            cycle=cycle,
            candidates=candidate_counts.get(cycle.pk, {}).get("total", 0),
            candidates_with_account=candidate_counts.get(cycle.pk, {}).get("with_account", 0),
            offices_with_vacancies=vacancy_counts.get(cycle.pk, {}).get("offices", 0),
            seats=vacancy_counts.get(cycle.pk, {}).get("seats", 0) or 0,
            phase=phase_info(cycle),
        )
        for cycle in cycles
    ]


def candidacies_for_user(user) -> list[Candidate]:
    """Return the user's exam records, newest cycle first, each with `phase` set to its cycle's phase."""
    candidacies = list(
        Candidate.objects.filter(user=user).select_related("cycle").annotate(
            cycle_published=Exists(Publication.objects.filter(cycle=OuterRef("cycle_id"))),
            answer_pending=Exists(PlaceResponse.objects.filter(candidate=OuterRef("pk"),
                                                               state=PlaceResponse.State.PENDING)),
        ).order_by("-cycle__year")
    )
    for candidacy in candidacies:
        candidacy.phase = phase_info(candidacy.cycle, published=candidacy.cycle_published)
    return candidacies


def office_memberships_for_user(user) -> list[dict]:
    """Return each office the user works at, its roles there, and its seats in the current cycle."""
    cycle = current_cycle()
    grants = RoleGrant.objects.filter(user=user, office__isnull=False).select_related("office").order_by("office__name")
    by_office: dict[int, dict] = {}
    for grant in grants:
        entry = by_office.setdefault(grant.office_id, {"office": grant.office, "roles": [], "seats": 0})
        entry["roles"].append(grant.get_role_display())
    if cycle and by_office:
        for office_id, seats in Vacancy.objects.filter(cycle=cycle, office_id__in=by_office).values_list(
            "office_id", "seats"
        ):
            by_office[office_id]["seats"] = seats
    return list(by_office.values())


def public_stats() -> dict:
    cycle = current_cycle()
    return {
        "offices": LandOffice.objects.count(),
        "counties": LandOffice.objects.values("county").distinct().count(),
        "cycle": cycle,
        "seats": (Vacancy.objects.filter(cycle=cycle).aggregate(total=Sum("seats"))["total"] or 0) if cycle else 0,
    }


def current_candidacy(user) -> Candidate | None:
    """Return the user's exam record in the current cycle."""
    return Candidate.objects.filter(user=user, cycle__is_current=True).select_related("cycle").first()


def preference_office_ids(*, candidate: Candidate) -> list[int]:
    """Return the ids of the offices on the candidate's preference list, first choice first."""
    return list(PreferenceEntry.objects.filter(preference_list__candidate=candidate).order_by("position")
                .values_list("office_id", flat=True))


def preference_page(*, candidate: Candidate) -> dict:
    """Return the candidate's list and the offices they may still add, each with seats, county and distance."""

    vacancies = list(
        Vacancy.objects.filter(cycle=candidate.cycle_id, seats__gt=0).select_related("office")
        .order_by("office__sort_order", "office__name")
    )
    preference_list = PreferenceList.objects.filter(candidate=candidate).first()
    chosen_ids = list(
        PreferenceEntry.objects.filter(preference_list=preference_list).order_by("position")
        .values_list("office_id", flat=True)
    ) if preference_list else []
    has_home = candidate.residence_latitude is not None and candidate.residence_longitude is not None
    by_office = {}
    for vacancy in vacancies:
        office = vacancy.office
        office.seats = vacancy.seats
        office.distance_km = haversine_km(
            float(candidate.residence_latitude), float(candidate.residence_longitude),
            float(office.latitude), float(office.longitude),
        ) if has_home else None
        by_office[office.pk] = office
    chosen = [by_office[office_id] for office_id in chosen_ids if office_id in by_office]
    available = [office for office in by_office.values() if office.pk not in set(chosen_ids)]
    return {"preference_list": preference_list, "chosen": chosen, "available": available,
            "has_home": has_home, "chosen_ids": [office.pk for office in chosen]}


def current_publication(cycle: ExamCycle) -> Publication | None:
    """Return the main placement's publication in force: the latest one, which nothing supersedes."""
    return Publication.objects.filter(cycle=cycle, superseded_by__isnull=True, round_number__isnull=True
                                      ).select_related("run", "published_by").defer("run__snapshot").first()


@dataclass(frozen=True)
class PreferenceSubmissions:
    """How the candidates of a cycle stand with their preference lists."""

    submitted: int  # By the candidates themselves.
    submitted_automatically: int  # Saved but not submitted by the deadline, so submitted for them.
    unsubmitted: int  # Saved and not yet submitted (they will be submitted at the deadline).
    without_list: int  # Ranked nothing: such candidates cannot be placed.


def preference_submissions(*, cycle: ExamCycle) -> PreferenceSubmissions:
    """Count the cycle's candidates by where their preference list stands, in one query."""
    has_entries = Exists(PreferenceEntry.objects.filter(preference_list__candidate=OuterRef("pk")))
    counts = Candidate.objects.filter(cycle=cycle).annotate(has_entries=has_entries).aggregate(
        submitted=Count("pk", filter=Q(preference_list__submitted_at__isnull=False,
                                       preference_list__submitted_automatically=False)),
        automatically=Count("pk", filter=Q(preference_list__submitted_automatically=True)),
        unsubmitted=Count("pk", filter=Q(has_entries=True, preference_list__submitted_at__isnull=True)),
        without_list=Count("pk", filter=Q(has_entries=False)),
    )
    return PreferenceSubmissions(submitted=counts["submitted"], submitted_automatically=counts["automatically"],
                                 unsubmitted=counts["unsubmitted"], without_list=counts["without_list"])


def run_list(*, cycle: ExamCycle) -> QuerySet[PlacementRun]:
    """Return a cycle's runs, newest first, without their (large) snapshots."""
    return PlacementRun.objects.filter(cycle=cycle).select_related("created_by", "publication").defer(
        "snapshot"
    ).order_by("-created_at", "-pk")


def result_rows(*, run: PlacementRun) -> QuerySet[Assignment]:
    """Return a published run's rows, which carry the names as they were published, best exam rank first."""
    return Assignment.objects.filter(run=run).order_by("exam_rank", "pk")


RESULT_EXPORT_COLUMNS = ["exam_number", "name", "exam_rank", "office", "office_name", "county", "preference_rank"]


def result_export_rows(*, publication: Publication | None = None, rows: QuerySet[Assignment] | None = None):
    """Return the published result as rows of RESULT_EXPORT_COLUMNS, as it was published.

    Pass `rows` (a filtered and ordered result_rows) to export only those, in their order.
    """
    if rows is None:
        rows = result_rows(run=publication.run)
    return rows.values_list(
        "exam_number", "candidate_name", "exam_rank", "office_code", "office_name", "office_county", "preference_rank")


def publication_email_estimate(*, run: PlacementRun) -> int:
    """Return how many emails publishing the run sends: one per candidate, one per staff address of a placed office.

    The count follows the plan the publication's emails are written from (services.notifications).
    """
    rows = Assignment.objects.filter(run=run)
    placed_offices = rows.filter(office__isnull=False).values("office_id")
    office_addresses = (RoleGrant.objects.filter(office_id__in=placed_offices)
                        .values_list("office_id", "user__email").distinct().count())
    return rows.count() + office_addresses


def result_office_choices(*, run: PlacementRun) -> list[tuple[int, str, str]]:
    """Return (id, name, English name) of the offices a published run placed candidates at, named as published."""
    return list(Assignment.objects.filter(run=run, office__isnull=False).order_by("office_id")
                .values_list("office_id", "office_name", "office_name_en").distinct())


def result_offices(*, cycle: ExamCycle) -> QuerySet[LandOffice]:
    return LandOffice.objects.filter(vacancies__cycle=cycle).order_by("sort_order", "name")


def office_placements(*, office: LandOffice) -> tuple[Publication | None, list[Assignment]]:
    """Return the current cycle's publication and who it placed at the office."""
    cycle = current_cycle()
    publication = current_publication(cycle) if cycle else None
    if publication is None:
        return None, []
    # The candidate row is loaded for its email address, which should be the current one; the rest is as published.
    rows = Assignment.objects.filter(run=publication.run_id, office=office).select_related("candidate").order_by(
        "exam_rank", "pk"
    )
    return publication, list(rows)


def explanation_sentences(*, assignment: Assignment, language_code: str, to_candidate: bool = True) -> list[str]:
    """Return why the candidate did not get each office it ranked above its own, as sentences.

    The sentences speak to the candidate when `to_candidate`, and about the candidate to anyone else (staff).
    The reasons were computed once, when the run executed; this only words them.
    """
    details = assignment.explanation or []
    codes = [detail["office"] for detail in details]
    offices = {office.code: office.display_name(language_code) for office in LandOffice.objects.filter(code__in=codes)}
    sentences = []
    for detail in details:
        values = {"office": offices.get(detail["office"], detail["office"]), "choice": detail["preference_rank"],
                  "seats": detail["seats"], "cutoff": detail["cutoff_position"],
                  "position": detail["candidate_position"]}
        if detail["reason"] == engine.ZERO_SEATS:
            sentence = (_("%(office)s (your choice %(choice)s) had no seats.") if to_candidate
                        else _("%(office)s (the candidate's choice %(choice)s) had no seats."))
        elif detail["reason"] == engine.NOT_ACCEPTABLE:
            sentence = (_("%(office)s (your choice %(choice)s) could not take you.") if to_candidate
                        else _("%(office)s (the candidate's choice %(choice)s) could not take the candidate."))
        elif detail["reason"] == engine.FULL_WITH_HIGHER_PRIORITY:
            sentence = ngettext(
                "%(office)s (your choice %(choice)s) filled its %(seats)s seat with a candidate it ranks higher: you "
                "were number %(position)s in its order, and the one admitted was number %(cutoff)s.",
                "%(office)s (your choice %(choice)s) filled its %(seats)s seats with candidates it ranks higher: "
                "you were number %(position)s in its order, and the last one admitted was number %(cutoff)s.",
                detail["seats"],
            ) if to_candidate else ngettext(
                "%(office)s (the candidate's choice %(choice)s) filled its %(seats)s seat with a candidate it ranks "
                "higher: the candidate was number %(position)s in its order, and the one admitted was number "
                "%(cutoff)s.",
                "%(office)s (the candidate's choice %(choice)s) filled its %(seats)s seats with candidates it ranks "
                "higher: the candidate was number %(position)s in its order, and the last one admitted was number "
                "%(cutoff)s.",
                detail["seats"],
            )
        else:
            sentence = (_("%(office)s (your choice %(choice)s) should have admitted you. Please contact the "
                          "examination staff.") if to_candidate
                        else _("%(office)s (the candidate's choice %(choice)s) should have admitted the candidate: "
                               "the engine's check found an inconsistency."))
        sentences.append(sentence % values)
    return sentences


@dataclass(frozen=True)
class RunComparison:
    """Two runs of a cycle side by side: the engine's comparison and the moves named for people."""

    comparison: engine.Comparison
    moves: list[tuple[str, str, str | None, str | None]]  # Exam number, name, office under A, office under B.
    gains: int
    losses: int


MOVES_SHOWN = 500


def run_comparison(*, cycle: ExamCycle, run_a: PlacementRun, run_b: PlacementRun,
                   language_code: str = "zh-hant") -> RunComparison | None:
    """Compare two finished runs of the cycle; None when they placed candidates from different preference lists."""
    instance = instance_for_snapshot(snapshot_load(PlacementRun.objects.get(pk=run_a.pk)))
    try:
        comparison = engine.compare(instance, run_assignment(run_a), run_assignment(run_b))
    except engine.InvalidAssignment:
        return None
    names = dict(Candidate.objects.filter(cycle=cycle).values_list("exam_number", "name"))
    offices = dict(LandOffice.objects.values_list("code", "name_en" if language_code.startswith("en") else "name"))
    moves = [(number, names.get(number, ""), offices.get(a), offices.get(b))
             for number, a, b in comparison.moves[:MOVES_SHOWN]]
    return RunComparison(comparison=comparison, moves=moves, gains=len(comparison.gains),
                         losses=len(comparison.losses))


def published_rows(*, run_id: int) -> list[list]:
    """Return the rows a run's publication shows, as lists of PUBLISHED_FIELDS."""
    return [list(row) for row in Assignment.objects.filter(run_id=run_id).order_by().values_list(*PUBLISHED_FIELDS)]


def results_hash(rows: list[list]) -> str:
    """Return the SHA-256 of published rows (lists of PUBLISHED_FIELDS) as canonical JSON, in exam-number order."""
    return sha256_hex(canonical_json(sorted(rows, key=lambda row: row[0] or "")))


def publication_count(*, cycle: ExamCycle) -> int:
    """Return how many publications the cycle has, superseded ones included."""
    return Publication.objects.filter(cycle=cycle).count()


def published_results_problems(*, cycle: ExamCycle | None = None) -> list[str]:
    """Return what no longer matches the hashes stored when each run was published; empty when all is intact.

    Every publication is checked, superseded ones too: its rows as shown against the publication's hash, the exam
    numbers and office codes of those rows against the run's assignment hash, the candidate and office rows they
    link to against that hash as well, and the run's input snapshot against its own hash. Pass `cycle` to check
    only that cycle's publications.
    """
    problems = []
    exam_number, office_code = PUBLISHED_FIELDS.index("exam_number"), PUBLISHED_FIELDS.index("office_code")
    publications = Publication.objects.select_related("run").order_by("pk")
    if cycle is not None:
        publications = publications.filter(cycle=cycle)
    for publication in publications:
        run = publication.run
        rows = published_rows(run_id=run.pk)
        label = f"publication {publication.pk} (run {run.pk})"
        if publication.results_sha256 and results_hash(rows) != publication.results_sha256:
            problems.append(f"{label}: the published rows changed since publishing.")
        if assignment_hash({row[exam_number]: row[office_code] for row in rows}) != run.assignment_sha256:
            problems.append(f"{label}: the published assignment no longer matches the run's assignment hash.")
        if assignment_hash(run_assignment(run)) != run.assignment_sha256:
            problems.append(f"{label}: the candidates or offices its rows link to changed since publishing.")
        if sha256_hex(run.snapshot) != run.snapshot_sha256:
            problems.append(f"{label}: the run's input snapshot no longer matches its hash.")
    return problems


def candidates_export_rows(*, cycle: ExamCycle | None = None, candidates: QuerySet[Candidate] | None = None):
    """Return the cycle's candidates as rows of the candidate table, best exam rank first.

    Pass `candidates` (a filtered and ordered cycle_candidates) to export only those, in their order.
    """
    if candidates is None:
        candidates = Candidate.objects.filter(cycle=cycle).order_by("exam_rank")
    return candidates.values_list(*CANDIDATE_COLUMNS, *CANDIDATE_RESIDENCE_COLUMNS)


def vacancies_export_rows(*, cycle: ExamCycle):
    """Return the cycle's vacancies as rows of the vacancy table, in office order."""
    return Vacancy.objects.filter(cycle=cycle).order_by("office__sort_order").values_list("office__code", "seats")


def run_is_stale(run: PlacementRun) -> bool:
    """Say whether the cycle's inputs changed since the run took its snapshot."""
    return sha256_hex(canonical_json(snapshot_for_run(run))) != run.snapshot_sha256


def place_response_for(*, assignment) -> PlaceResponse | None:
    return PlaceResponse.objects.filter(assignment=assignment).select_related("decided_by").prefetch_related(
        "evidence").first()


def place_responses_for_office(*, office, publication) -> dict[int, PlaceResponse]:
    """Return the answers to the office's places in a publication, by candidate id."""
    return {response.candidate_id: response for response in PlaceResponse.objects.filter(
        office=office, assignment__run=publication.run_id)}


@dataclass(frozen=True)
class EmailCounts:
    """Where a publication's emails stand: sent, failed (retried automatically) and not sent yet."""

    total: int
    sent: int
    failed: int

    @property
    def waiting(self) -> int:
        return self.total - self.sent - self.failed


def publication_email_counts(*, publications) -> EmailCounts:
    """Count the emails of these publications by where they stand, in one query."""
    counts = PublicationEmail.objects.filter(publication__in=publications).aggregate(
        total=Count("pk"), sent=Count("pk", filter=Q(sent_at__isnull=False)),
        failed=Count("pk", filter=Q(sent_at__isnull=True) & ~Q(error="")),
    )
    return EmailCounts(total=counts["total"], sent=counts["sent"], failed=counts["failed"])


@dataclass(frozen=True)
class AfterPublication:
    """Where a published cycle stands: answers by state, deferral requests, late vacancies, and the emails."""

    counts: dict[str, int]
    deferral_requests: list
    late_vacancies: list
    freed_seats: int
    emails: EmailCounts


def after_publication(*, cycle: ExamCycle, publication) -> AfterPublication:
    """Return the examination staff's view of the answers to every run in force and the late vacancies."""
    # The main placement and every published round: a candidate placed in round 2 answers, and defers, too.
    runs = published_runs(cycle)
    responses = PlaceResponse.objects.filter(cycle=cycle, assignment__run__in=runs)
    counts = dict(responses.order_by().values("state").annotate(total=Count("pk")).values_list("state", "total"))
    requests = list(responses.filter(state=PlaceResponse.State.DEFERRAL_REQUESTED)
                    .select_related("candidate", "office").prefetch_related("evidence")
                    .order_by("responded_at", "pk"))
    late = list(LateVacancy.objects.filter(cycle=cycle).select_related("office", "reported_by", "decided_by"))
    # What the next round would offer: every seat, late ones included, that no answer in force holds.
    freed = placement_outcomes(cycle=cycle).totals["unfilled"]
    # The emails of the runs in force; those of a superseded publication no longer matter.
    emails = publication_email_counts(publications=Publication.objects.filter(run__in=runs).values("pk"))
    return AfterPublication(counts=counts, deferral_requests=requests, late_vacancies=late, freed_seats=freed,
                            emails=emails)


def round_runs(*, cycle: ExamCycle) -> list[PlacementRun]:
    """Return the cycle's supplementary round runs, newest first, with whether each is published."""
    return list(PlacementRun.objects.filter(cycle=cycle, follows__isnull=False).defer("snapshot")
                .select_related("publication").order_by("-created_at", "-pk"))


@dataclass(frozen=True)
class CandidatePlace:
    """Where the runs in force put a candidate: the publication, the assignment and the round (1 = main)."""

    publication: Publication
    assignment: Assignment
    round_number: int


def candidate_place(*, candidate: Candidate) -> CandidatePlace | None:
    """Return the candidate's place in the runs in force: the round that placed them, else the main run's row."""
    main = current_publication(candidate.cycle)
    if main is None:
        return None
    rounds = list(Publication.objects.filter(cycle=candidate.cycle_id, round_number__isnull=False)
                  .order_by("-round_number"))
    rows = {row.run_id: row for row in Assignment.objects.filter(
        candidate=candidate, run__in=[main.run_id, *(publication.run_id for publication in rounds)])}
    for publication in rounds:
        row = rows.get(publication.run_id)
        if row is not None and row.office_id is not None:
            return CandidatePlace(publication, row, publication.round_number)
    row = rows.get(main.run_id)
    return CandidatePlace(main, row, 1) if row is not None else None


OUTCOME_STATES = ("confirmed", "pending", "deferral_requested", "declined", "deferred", "lapsed")


@dataclass
class OfficeOutcome:
    """One office's seats after publication: what each round placed and how the places were answered."""

    office: LandOffice
    seats: int
    late_seats: int
    placed_by_round: dict[int, int]
    states: dict[str, int]
    unfilled: int


@dataclass(frozen=True)
class PlacementOutcomes:
    rounds: list[int]                                # 1 for the main placement, then each published round
    offices: list[OfficeOutcome]
    by_round: dict[int, dict[str, int]]              # round -> state -> count, with "placed"
    counties: list[tuple[str, dict[str, int]]]       # county -> totals of seats, placed, states, unfilled
    totals: dict[str, int]


def placement_outcomes(*, cycle: ExamCycle) -> PlacementOutcomes:
    """Count, per office, county and round, the seats filled, declined, deferred and unfilled (five queries)."""
    runs = published_runs(cycle)
    round_of = {run.pk: (run.round_number or 1) for run in runs}
    seats = dict(Vacancy.objects.filter(cycle=cycle).values_list("office_id", "seats"))
    late: dict[int, int] = {}
    for office_id, count in LateVacancy.objects.filter(cycle=cycle, state=LateVacancy.State.APPROVED).values_list(
            "office_id", "seats"):
        late[office_id] = late.get(office_id, 0) + count
    counts = (PlaceResponse.objects.filter(assignment__run__in=runs).order_by()
              .values_list("office_id", "assignment__run_id", "state").annotate(total=Count("pk")))
    offices = {office.pk: office for office in LandOffice.objects.filter(pk__in=seats).order_by("sort_order", "name")}
    rows = {office_id: OfficeOutcome(office=office, seats=seats[office_id], late_seats=late.get(office_id, 0),
                                     placed_by_round={}, states=dict.fromkeys(OUTCOME_STATES, 0), unfilled=0)
            for office_id, office in offices.items()}
    by_round = {number: dict.fromkeys(("placed", *OUTCOME_STATES), 0) for number in round_of.values()}
    for office_id, run_id, state, total in counts:
        row, number = rows[office_id], round_of[run_id]
        row.placed_by_round[number] = row.placed_by_round.get(number, 0) + total
        row.states[state] += total
        by_round[number]["placed"] += total
        by_round[number][state] += total
    for row in rows.values():
        held = sum(row.states[state] for state in HOLDING_STATES)
        row.unfilled = max(row.seats + row.late_seats - held, 0)
    counties: dict[str, dict[str, int]] = {}
    for row in rows.values():
        county = counties.setdefault(row.office.county, dict.fromkeys(("seats", "placed", "unfilled",
                                                                        *OUTCOME_STATES), 0))
        county["seats"] += row.seats + row.late_seats
        county["placed"] += sum(row.placed_by_round.values())
        county["unfilled"] += row.unfilled
        for state in OUTCOME_STATES:
            county[state] += row.states[state]
    totals = dict.fromkeys(("seats", "placed", "unfilled", *OUTCOME_STATES), 0)
    for county in counties.values():
        for key, value in county.items():
            totals[key] += value
    return PlacementOutcomes(rounds=sorted(by_round), offices=list(rows.values()), by_round=by_round,
                             counties=sorted(counties.items()), totals=totals)


def deferral_rows(*, cycle: ExamCycle):
    """Return the cycle's approved deferrals, for next year's cycle: who, where, why, and who decided."""
    return (PlaceResponse.objects.filter(cycle=cycle, state=PlaceResponse.State.DEFERRED)
            .order_by("candidate__exam_rank")
            .values_list("candidate__exam_number", "candidate__name", "candidate__email", "candidate__exam_rank",
                         "office__code", "office__name", "deferral_reason", "reason", "decided_at",
                         "decided_by__email", "decision_reason"))


def deferrals_carried_into(*, cycle: ExamCycle) -> list[PlaceResponse]:
    """Return the approved deferrals of earlier cycles, which this cycle's staff take into account: who, from where."""
    return list(PlaceResponse.objects.filter(state=PlaceResponse.State.DEFERRED, cycle__year__lt=cycle.year)
                .select_related("candidate", "office", "cycle").order_by("-cycle__year", "candidate__exam_rank"))
