from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class LandOffice(models.Model):
    """A land office (地政事務所), the employing agency that candidates are placed into."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=150)
    county = models.CharField(_("county or city"), max_length=20)
    county_en = models.CharField(_("county or city (English)"), max_length=40)
    district = models.CharField(_("district"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    # The data file lists counties in the official north-to-south order; sorting by it keeps lists familiar.
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("land office")
        verbose_name_plural = _("land offices")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def display_name(self, language_code: str) -> str:
        """Return the office name in the given language."""
        return self.name_en if language_code.startswith("en") else self.name


class Phase(models.TextChoices):
    """The phases of a cycle, in order; each ends at its deadline (placement ends when a run is published)."""

    OFFICE_PROFILES = "office_profiles", _("Office profiles")
    CANDIDATE_SUBMISSIONS = "candidate_submissions", _("Candidate submissions")
    FOCUS_GROUPS = "focus_groups", _("Focus groups")
    PREFERENCES = "preferences", _("Preferences")
    PLACEMENT = "placement", _("Placement")
    PUBLISHED = "published", _("Published")


PHASE_ORDER = list(Phase)
# The phases that end at a deadline stored on the cycle, with the name of that field.
PHASE_DEADLINE_FIELDS = [
    (Phase.OFFICE_PROFILES, "office_profiles_until"),
    (Phase.CANDIDATE_SUBMISSIONS, "submissions_until"),
    (Phase.FOCUS_GROUPS, "focus_groups_until"),
    (Phase.PREFERENCES, "preferences_until"),
]


class ExamCycle(models.Model):
    """One year's examination in the surveying series, whose passers are placed together."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    year = models.PositiveSmallIntegerField(_("year (ROC calendar)"))
    is_current = models.BooleanField(_("current cycle"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # An empty deadline leaves its phase open until the examination staff set one.
    office_profiles_until = models.DateTimeField(_("office profiles until"), null=True, blank=True)
    submissions_until = models.DateTimeField(_("candidate submissions until"), null=True, blank=True)
    focus_groups_until = models.DateTimeField(_("focus groups until"), null=True, blank=True)
    preferences_until = models.DateTimeField(_("preferences until"), null=True, blank=True)
    # After publication: placed candidates confirm, decline or ask to defer by this time, or lose the place.
    report_by = models.DateTimeField(_("report for duty by"), null=True, blank=True)
    # Before the next supplementary round: until this time, candidates who hold no seat may change their list.
    round_preferences_until = models.DateTimeField(_("lists for the next round until"), null=True, blank=True)

    class Meta:
        verbose_name = _("exam cycle")
        verbose_name_plural = _("exam cycles")
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="one_current_cycle"
            )
        ]

    def __str__(self):
        return self.name

    def deadlines(self) -> list[tuple[str, object]]:
        """Return (phase, deadline) for every phase that ends at a deadline, in order."""
        return [(phase, getattr(self, field)) for phase, field in PHASE_DEADLINE_FIELDS]

    def phase_at(self, moment, *, published: bool) -> str:
        """Return the phase the cycle is in at a moment; a published result ends the cycle."""
        if published:
            return Phase.PUBLISHED
        # The phase after the latest deadline that has passed: a passed deadline closes every phase before it too.
        current = Phase.OFFICE_PROFILES
        for index, (_phase, deadline) in enumerate(self.deadlines()):
            if deadline is not None and deadline <= moment:
                current = PHASE_ORDER[index + 1]
        return current

    def phase_deadline(self, phase: str):
        """Return the deadline that ends a phase, or None."""
        return dict(self.deadlines()).get(phase)


class Candidate(models.Model):
    """A person who passed the exam in one cycle, with the standing the exam gave them."""

    cycle = models.ForeignKey(ExamCycle, on_delete=models.PROTECT, related_name="candidates",
                              verbose_name=_("exam cycle"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="candidacies", verbose_name=_("account"),
    )
    exam_number = models.CharField(_("exam number"), max_length=20)
    name = models.CharField(_("Name"), max_length=100)
    email = models.EmailField(_("email address"))
    exam_score = models.DecimalField(
        _("exam score"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    exam_rank = models.PositiveIntegerField(_("exam rank"), validators=[MinValueValidator(1)])
    residence_county = models.CharField(_("county or city of residence"), max_length=20, blank=True)
    residence_district = models.CharField(_("district of residence"), max_length=20, blank=True)
    residence_latitude = models.DecimalField(_("latitude of residence"), max_digits=8, decimal_places=5, null=True,
                                             blank=True)
    residence_longitude = models.DecimalField(_("longitude of residence"), max_digits=8, decimal_places=5,
                                              null=True, blank=True)
    # On the reserve list (增額錄取): not in the main placement, called in exam-rank order by supplementary rounds.
    on_reserve_list = models.BooleanField(_("on the reserve list"), default=False)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["cycle", "exam_rank"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "exam_number"], name="unique_exam_number_per_cycle"),
            models.UniqueConstraint(fields=["cycle", "exam_rank"], name="unique_exam_rank_per_cycle"),
            models.UniqueConstraint(fields=["cycle", "user"], name="one_candidacy_per_user_per_cycle"),
        ]

    def __str__(self):
        return f"{self.exam_number} {self.name}"


class Vacancy(models.Model):
    """The seats one land office offers in one exam cycle."""

    cycle = models.ForeignKey(ExamCycle, on_delete=models.CASCADE, related_name="vacancies",
                              verbose_name=_("exam cycle"))
    office = models.ForeignKey(LandOffice, on_delete=models.PROTECT, related_name="vacancies",
                               verbose_name=_("land office"))
    seats = models.PositiveSmallIntegerField(_("seats"))

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["cycle", "office__sort_order", "office__name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "office"], name="one_vacancy_row_per_office")]

    def __str__(self):
        return f"{self.office} × {self.seats}"


class PreferenceList(models.Model):
    """A candidate's ordered choice of offices (志願); saved as they go, submitted with a hash."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="preference_list",
                                     verbose_name=_("candidate"))
    updated_at = models.DateTimeField(_("last saved at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # SHA-256 of the submitted order of office codes; it changes with any edit after submitting.
    submitted_sha256 = models.CharField(_("hash of the submitted list"), max_length=64, blank=True)
    # A list still unsubmitted when the preference phase ends is submitted for the candidate, as the page promises.
    submitted_automatically = models.BooleanField(_("submitted automatically at the deadline"), default=False)
    # The submitted hash whose receipt was emailed, so a task run twice (or retried) emails each receipt once.
    receipt_sent_sha256 = models.CharField(_("hash whose receipt was emailed"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("preference list")
        verbose_name_plural = _("preference lists")

    def __str__(self):
        return f"{self.candidate}"


class PreferenceEntry(models.Model):
    """One office in a preference list; position 1 is the first choice."""

    preference_list = models.ForeignKey(PreferenceList, on_delete=models.CASCADE, related_name="entries",
                                        verbose_name=_("preference list"))
    office = models.ForeignKey(LandOffice, on_delete=models.PROTECT, related_name="+", verbose_name=_("land office"))
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        ordering = ["preference_list", "position"]
        constraints = [models.UniqueConstraint(fields=["preference_list", "office"], name="office_once_per_list")]

    def __str__(self):
        return f"{self.position}. {self.office}"


class SuitabilityScore(models.Model):
    """An office's suitability score (妥適性評比) for a candidate, used by the blended policy."""

    class Source(models.TextChoices):
        IMPORT = "import", _("Imported file")
        FOCUS_GROUP = "focus_group", _("Focus group on the platform")

    office = models.ForeignKey(LandOffice, on_delete=models.PROTECT, related_name="suitability_scores",
                               verbose_name=_("land office"))
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="suitability_scores",
                                  verbose_name=_("candidate"))
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=3)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.IMPORT)

    class Meta:
        verbose_name = _("suitability score")
        verbose_name_plural = _("suitability scores")
        constraints = [models.UniqueConstraint(fields=["office", "candidate"], name="one_score_per_office_candidate")]

    def __str__(self):
        return f"{self.office} · {self.candidate}: {self.score}"


class PlacementRun(models.Model):
    """One execution of the engine on a frozen snapshot of the cycle's inputs."""

    class Policy(models.TextChoices):
        EXAM_RANK = "exam_rank", _("Exam rank (today's rule)")
        BLENDED = "blended", _("Blended exam rank and suitability")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    cycle = models.ForeignKey(ExamCycle, on_delete=models.PROTECT, related_name="runs", verbose_name=_("exam cycle"))
    policy = models.CharField(_("policy"), max_length=20, choices=Policy.choices)
    exam_weight = models.DecimalField(_("exam weight"), max_digits=4, decimal_places=3, default=1,
                                      validators=[MinValueValidator(0), MaxValueValidator(1)])
    seed = models.BigIntegerField(_("lottery seed"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                   verbose_name=_("started by"))
    created_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    engine_version = models.CharField(_("engine version"), max_length=20, blank=True)
    # The exact input as canonical JSON (sorted keys, no spaces), so a replay can recompute the run bit for bit.
    snapshot = models.TextField(_("input snapshot"), blank=True)
    snapshot_sha256 = models.CharField(_("SHA-256 of the snapshot"), max_length=64, blank=True)
    assignment_sha256 = models.CharField(_("SHA-256 of the assignment"), max_length=64, blank=True)
    blocking_pairs = models.PositiveIntegerField(_("blocking pairs"), null=True, blank=True)
    stats = models.JSONField(_("statistics"), default=dict, blank=True)
    # A supplementary round names the published run it follows and its number (the main run is round 1, empty
    # here). Both nullable without a default so that SQLite adds the columns in place and keeps the table's
    # immutability triggers.
    follows = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="rounds",
                                verbose_name=_("follows run"))
    round_number = models.PositiveSmallIntegerField(_("round"), null=True, blank=True)

    class Meta:
        verbose_name = _("placement run")
        verbose_name_plural = _("placement runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # At most one unfinished run per cycle: a second "start" while one is under way is refused by the database.
            models.UniqueConstraint(
                fields=["cycle"], condition=models.Q(status__in=["queued", "running"]), name="one_active_run_per_cycle"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_policy_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def is_stable(self) -> bool:
        return self.blocking_pairs == 0


class Assignment(models.Model):
    """Where one run placed one candidate; office is empty when the candidate stays unplaced."""

    run = models.ForeignKey(PlacementRun, on_delete=models.CASCADE, related_name="assignments",
                            verbose_name=_("placement run"))
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="assignments",
                                  verbose_name=_("candidate"))
    office = models.ForeignKey(LandOffice, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("land office"))
    preference_rank = models.PositiveSmallIntegerField(_("achieved preference"), null=True, blank=True)
    # Why the candidate did not get each office it ranked higher, computed once when the run executed: a list of
    # {"office": code, "preference_rank", "seats", "reason", "candidate_position", "cutoff_position"}. Nullable
    # without a default so that SQLite adds the column in place and keeps the immutability triggers of the table.
    explanation = models.JSONField(_("explanation"), null=True, blank=True)
    # What the published pages, exports and emails show, copied from the candidate and office rows when the run is
    # published, so that renaming a candidate or an office later leaves the published result as it was. Null, not
    # empty, until then (and for an unplaced candidate's office), and nullable without a default so that SQLite adds
    # the columns in place and keeps the immutability triggers: hence the DJ001 exceptions.
    exam_number = models.CharField(_("exam number when published"), max_length=20, null=True,  # noqa: DJ001
                                   blank=True)
    candidate_name = models.CharField(_("name when published"), max_length=100, null=True,  # noqa: DJ001
                                      blank=True)
    exam_rank = models.PositiveIntegerField(_("exam rank when published"), null=True, blank=True)
    office_code = models.CharField(_("office code when published"), max_length=40, null=True,  # noqa: DJ001
                                   blank=True)
    office_name = models.CharField(_("office name when published"), max_length=100, null=True,  # noqa: DJ001
                                   blank=True)
    office_name_en = models.CharField(_("English office name when published"), max_length=150,  # noqa: DJ001
                                      null=True, blank=True)
    office_county = models.CharField(_("county or city when published"), max_length=20,  # noqa: DJ001
                                     null=True, blank=True)
    office_county_en = models.CharField(_("county or city (English) when published"), max_length=40,  # noqa: DJ001
                                        null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["run", "candidate__exam_rank"]
        constraints = [models.UniqueConstraint(fields=["run", "candidate"], name="one_assignment_per_candidate")]

    def __str__(self):
        return f"{self.candidate} → {self.office or '-'}"

    def office_display_name(self, language_code: str) -> str:
        """Return the published office name in the given language."""
        return (self.office_name_en if language_code.startswith("en") else self.office_name) or ""

    def published_row(self) -> list:
        """Return what the publication shows of this row, in the order the results hash covers."""
        return [getattr(self, field) for field in PUBLISHED_FIELDS]


# What a publication shows of each of its rows, in the order its results hash covers them.
PUBLISHED_FIELDS = ["exam_number", "candidate_name", "exam_rank", "office_code", "office_name", "office_name_en",
                    "office_county", "office_county_en", "preference_rank"]


class Publication(models.Model):
    """The publishing of one run; append-only, and a correction supersedes the previous publication.

    The database refuses any change to a publication, to its run and to the run's assignments (migration 0003), and
    on PostgreSQL any TRUNCATE of their tables (migration 0012); `manage.py placement_verify` checks the hashes.
    """

    cycle = models.ForeignKey(ExamCycle, on_delete=models.PROTECT, related_name="publications",
                              verbose_name=_("exam cycle"))
    run = models.OneToOneField(PlacementRun, on_delete=models.PROTECT, related_name="publication",
                               verbose_name=_("placement run"))
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by", verbose_name=_("supersedes"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                     verbose_name=_("published by"))
    reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    # Empty for the main placement; 2, 3 … for the supplementary rounds published after it. Nullable without a
    # default so that SQLite adds the column in place and keeps the table's immutability triggers.
    round_number = models.PositiveSmallIntegerField(_("round"), null=True, blank=True)
    # SHA-256 of the published rows as shown (Assignment.published_row, in exam-number order), so that
    # `manage.py placement_verify` can tell when a row was changed behind the triggers' back.
    # Nullable without a default, as the round number above.
    results_sha256 = models.CharField(_("SHA-256 of the published rows"), max_length=64, null=True,  # noqa: DJ001
                                      blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at", "-pk"]
        constraints = [
            # The main placement's publications form one chain: a single first publication, each superseded at most
            # once. Each supplementary round is published once, on its own.
            models.UniqueConstraint(fields=["cycle"],
                                    condition=models.Q(supersedes__isnull=True, round_number__isnull=True),
                                    name="one_first_publication_per_cycle"),
            models.UniqueConstraint(fields=["cycle", "round_number"], condition=models.Q(round_number__isnull=False),
                                    name="one_publication_per_round"),
        ]

    def __str__(self):
        return f"{self.cycle} · {self.run}"


class PublicationEmail(models.Model):
    """One email announcing a publication to one address: a candidate their result, an office staff member its
    placements.

    The row is written before anything is sent and claimed just before sending, so every recipient is emailed at
    most once however often the sending task is retried; a failed send releases its claim, keeps the error and is
    sent again by the task's automatic retries.
    """

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="emails",
                                    verbose_name=_("publication"))
    # Exactly one of the two is set: the candidate's assignment, or the office whose placements are announced.
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("placement"))
    office = models.ForeignKey(LandOffice, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("land office"))
    # One address a row: a refused address is retried on its own, without emailing the others again.
    recipient = models.EmailField(_("recipient"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("publication email")
        verbose_name_plural = _("publication emails")
        constraints = [
            models.UniqueConstraint(fields=["publication", "assignment"], name="one_result_email_per_candidate"),
            models.UniqueConstraint(fields=["publication", "office", "recipient"],
                                    name="one_placements_email_per_office_recipient"),
            models.CheckConstraint(
                condition=(models.Q(assignment__isnull=False, office__isnull=True)
                           | models.Q(assignment__isnull=True, office__isnull=False)),
                name="publication_email_has_one_subject",
            ),
        ]

    def __str__(self):
        return f"{self.publication} → {self.recipient}"

    @property
    def to(self) -> list[str]:
        """Return the addresses of the email's To line."""
        return [self.recipient]


class PlaceResponse(models.Model):
    """A placed candidate's answer to a published place (報到): confirm, decline, or ask to defer training."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the candidate")
        CONFIRMED = "confirmed", _("Reported for duty")
        DECLINED = "declined", _("Declined")
        DEFERRAL_REQUESTED = "deferral_requested", _("Deferral requested")
        DEFERRED = "deferred", _("Training deferred")
        LAPSED = "lapsed", _("Not taken (deadline passed)")

    class DeferralReason(models.TextChoices):
        MILITARY_SERVICE = "military_service", _("Military service")
        ILLNESS = "illness", _("Illness or injury")
        FURTHER_STUDY = "further_study", _("Further study")
        CHILDBIRTH = "childbirth", _("Pregnancy, childbirth or childcare")
        OTHER = "other", _("Other reason")

    # The published place this answers; seats it frees (declined, deferred, lapsed) go to supplementary rounds.
    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="response",
                                      verbose_name=_("placement"))
    cycle = models.ForeignKey(ExamCycle, on_delete=models.PROTECT, related_name="place_responses",
                              verbose_name=_("exam cycle"))
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="place_responses",
                                  verbose_name=_("candidate"))
    office = models.ForeignKey(LandOffice, on_delete=models.PROTECT, related_name="place_responses",
                               verbose_name=_("land office"))
    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.PENDING)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    deferral_reason = models.CharField(_("reason for deferring"), max_length=24, choices=DeferralReason.choices,
                                       blank=True)
    evidence = models.ManyToManyField("media_pipeline.EvidenceFile", blank=True, related_name="+",
                                      verbose_name=_("evidence"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer to a place")
        verbose_name_plural = _("answers to places")
        ordering = ["office__sort_order", "candidate__exam_rank"]

    def __str__(self):
        return f"{self.candidate} → {self.office}: {self.get_state_display()}"

    @property
    def frees_the_seat(self) -> bool:
        return self.state in (self.State.DECLINED, self.State.DEFERRED, self.State.LAPSED)


class LateVacancy(models.Model):
    """Seats an office reports after the placement run; examination staff approve them into the cycle."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    cycle = models.ForeignKey(ExamCycle, on_delete=models.PROTECT, related_name="late_vacancies",
                              verbose_name=_("exam cycle"))
    office = models.ForeignKey(LandOffice, on_delete=models.PROTECT, related_name="late_vacancies",
                               verbose_name=_("land office"))
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1), MaxValueValidator(50)])
    reason = models.TextField(_("reason"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("reported by"))
    reported_at = models.DateTimeField(_("reported at"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("late vacancy")
        verbose_name_plural = _("late vacancies")
        ordering = ["-reported_at", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(seats__gte=1), name="late_vacancy_seats_positive")]

    def __str__(self):
        return f"{self.office} +{self.seats} ({self.get_state_display()})"


class CandidateDataView(models.Model):
    """That someone other than the candidate opened a page showing one candidate's personal data, and when.

    Changes are in the audit history (core.audit); this table holds what the history does not: reading. Rows are
    written by placement.services.access_log, at most one per viewer, candidate and kind within a few minutes.
    """

    class What(models.TextChoices):
        PROFILE = "profile", _("Exam record and contact details")
        RESULT = "result", _("Placement result")
        PORTFOLIO = "portfolio", _("Portfolio")
        SCORING = "scoring", _("Focus group scoring")
        VIDEO = "video", _("Video")
        EVIDENCE = "evidence", _("Evidence file")
        TASK_ANSWER = "task_answer", _("Answer to a practical task")
        EXPORT = "export", _("Candidate list downloaded")

    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                               verbose_name=_("viewer"))
    # Kept as text too, like the audit history's actor, so the log still names a viewer whose account is deleted.
    viewer_email = models.EmailField(_("viewer's email address"), blank=True)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+", verbose_name=_("candidate"))
    what = models.CharField(_("what was viewed"), max_length=16, choices=What.choices)
    url_name = models.CharField(_("page"), max_length=100, blank=True)
    viewed_at = models.DateTimeField(_("viewed at"))

    class Meta:
        verbose_name = _("view of a candidate's data")
        verbose_name_plural = _("views of candidates' data")
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["candidate", "-viewed_at"], name="candidate_data_view_newest")]

    def __str__(self):
        return f"{self.viewer_email} {self.what} {self.candidate_id} {self.viewed_at:%Y-%m-%d %H:%M}"
