"""A land office's focus group (焦點團體) for one cycle: members, rubric, sessions, roster, ratings and the outcome.

The group moves through its states in one direction, except that the leader may reopen a member's submission:

    setup ──open scoring──▶ scoring ──close scoring──▶ closed ──finalise──▶ finalised

The rubric and the roster can change only in setup; ratings only while scoring; a finalised group is read-only and
its final scores are the office's suitability scores for the placement.
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SCALE_MIN, SCALE_MAX = 1, 5


class FocusGroup(models.Model):
    class State(models.TextChoices):
        SETUP = "setup", _("Being set up")
        SCORING = "scoring", _("Scoring open")
        CLOSED = "closed", _("Scoring closed")
        FINALISED = "finalised", _("Finalised")

    office = models.ForeignKey("placement.LandOffice", on_delete=models.PROTECT, related_name="focus_groups",
                               verbose_name=_("land office"))
    cycle = models.ForeignKey("placement.ExamCycle", on_delete=models.PROTECT, related_name="focus_groups",
                              verbose_name=_("exam cycle"))
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="focus_groups_led",
                               verbose_name=_("leader"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.SETUP)
    created_at = models.DateTimeField(_("created at"))
    roster_fixed_at = models.DateTimeField(_("roster fixed at"), null=True, blank=True)
    scoring_opened_at = models.DateTimeField(_("scoring opened at"), null=True, blank=True)
    scoring_closed_at = models.DateTimeField(_("scoring closed at"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("finalised by"))
    # Finalising with ratings missing is allowed only with a reason, which is kept here and in the history.
    missing_scores_reason = models.TextField(_("reason for finalising with missing scores"), blank=True)
    # Raised on every change a second tab could overwrite (rubric, state); forms post the version they were read at.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("focus group")
        verbose_name_plural = _("focus groups")
        constraints = [models.UniqueConstraint(fields=["office", "cycle"], name="focusgroups_one_group_per_office")]

    def __str__(self):
        return f"{self.office} · {self.cycle}"

    @property
    def rubric_editable(self) -> bool:
        return self.state == self.State.SETUP

    @property
    def scoring_open(self) -> bool:
        return self.state == self.State.SCORING

    @property
    def is_finalised(self) -> bool:
        return self.state == self.State.FINALISED


class Member(models.Model):
    """A person on the group: an office user, or an invited person who has no account yet."""

    group = models.ForeignKey(FocusGroup, verbose_name=_("focus group"),
                              on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="focus_group_memberships", verbose_name=_("user"))
    invitation = models.ForeignKey("accounts.Invitation", verbose_name=_("invitation"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    email = models.EmailField(_("email address"), max_length=254)
    added_at = models.DateTimeField(_("added at"))
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("focus group member")
        verbose_name_plural = _("focus group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "email"], name="focusgroups_member_once_per_group"),
        ]

    def __str__(self):
        return str(self.user or self.email)

    @property
    def is_active(self) -> bool:
        return self.user_id is not None and self.removed_at is None


class Criterion(models.Model):
    """One criterion of the rubric: a weight and what each level of the 1–5 scale looks like."""

    group = models.ForeignKey(FocusGroup, verbose_name=_("focus group"),
                              on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("criterion"), max_length=120)
    name_en = models.CharField(_("criterion (English)"), max_length=120, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    # Five behavioural descriptions, for levels 1 to 5 in that order.
    levels = models.JSONField(_("level descriptions"), default=list)
    # The same five in English, optional like the English name; pages in English fall back to the first language.
    levels_en = models.JSONField(_("level descriptions (English)"), default=list, blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "position"], name="focusgroups_criterion_position_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="focusgroups_criterion_weight_positive"),
        ]

    def __str__(self):
        return self.name

    def name_for(self, language_code: str) -> str:
        return self.name_en if language_code == "en" and self.name_en else self.name

    def levels_for(self, language_code: str) -> list[str]:
        return self.levels_en if language_code == "en" and len(self.levels_en) == len(self.levels) else self.levels


class Session(models.Model):
    """An online meeting of the group: when, where, what about, what was said and who came."""

    group = models.ForeignKey(FocusGroup, verbose_name=_("focus group"),
                              on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60,
                                                        validators=[MinValueValidator(5), MaxValueValidator(600)])
    meeting_url = models.URLField(_("meeting link"), max_length=500)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    attendees = models.ManyToManyField(Member, blank=True, related_name="sessions_attended",
                                       verbose_name=_("attendance"))

    class Meta:
        verbose_name = _("focus group session")
        verbose_name_plural = _("focus group sessions")
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"{self.group} · {self.starts_at:%Y-%m-%d %H:%M}"


class RosterEntry(models.Model):
    """A candidate the group will score; only candidates who consent for the office can be on it."""

    group = models.ForeignKey(FocusGroup, verbose_name=_("focus group"),
                              on_delete=models.CASCADE, related_name="roster")
    candidate = models.ForeignKey("placement.Candidate", on_delete=models.CASCADE, related_name="focus_group_entries",
                                  verbose_name=_("candidate"))
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster")
        constraints = [models.UniqueConstraint(fields=["group", "candidate"], name="focusgroups_roster_once")]

    def __str__(self):
        return f"{self.group} · {self.candidate}"


class Rating(models.Model):
    """One member's score of one candidate on one criterion, with a comment; saved as a draft until submitted."""

    group = models.ForeignKey(FocusGroup, verbose_name=_("focus group"),
                              on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("rater"),
                              on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey("placement.Candidate", verbose_name=_("candidate"),
                                  on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"),
                                  on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)])
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("saved at"))
    # Raised on every save; a save that posts an older version came from a stale page and is refused.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["rater", "candidate", "criterion"], name="focusgroups_one_rating"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=SCALE_MIN, score__lte=SCALE_MAX),
                                   name="focusgroups_rating_on_scale"),
        ]

    def __str__(self):
        return f"{self.rater} · {self.candidate} · {self.criterion}: {self.score}"


class Submission(models.Model):
    """A member's submission of their ratings of one candidate; the leader may reopen it, which clears it."""

    group = models.ForeignKey(FocusGroup, verbose_name=_("focus group"),
                              on_delete=models.CASCADE, related_name="submissions")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("rater"),
                              on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey("placement.Candidate", verbose_name=_("candidate"),
                                  on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["group", "rater", "candidate"], name="focusgroups_one_submission"),
        ]

    def __str__(self):
        return f"{self.rater} · {self.candidate}"


class VideoNote(models.Model):
    """A member's note at a moment of a candidate's video; clicking it seeks the player there."""

    group = models.ForeignKey(FocusGroup, verbose_name=_("focus group"), on_delete=models.CASCADE, related_name="notes")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("rater"),
                              on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey("placement.Candidate", verbose_name=_("candidate"),
                                  on_delete=models.CASCADE, related_name="+")
    video = models.ForeignKey("media_pipeline.Video", verbose_name=_("video"),
                              on_delete=models.CASCADE, related_name="+")
    at_seconds = models.PositiveIntegerField(_("time in the video (seconds)"))
    text = models.CharField(_("note"), max_length=1000)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("video note")
        verbose_name_plural = _("video notes")
        ordering = ["video_id", "at_seconds", "pk"]

    def __str__(self):
        return f"{self.video} @ {self.at_seconds} s"


class Outcome(models.Model):
    """The leader's result for one candidate: the aggregate, any consensus adjustment with its reason, the rank."""

    group = models.ForeignKey(FocusGroup, verbose_name=_("focus group"),
                              on_delete=models.CASCADE, related_name="outcomes")
    candidate = models.ForeignKey("placement.Candidate", verbose_name=_("candidate"),
                                  on_delete=models.CASCADE, related_name="+")
    aggregate_score = models.DecimalField(_("aggregate score"), max_digits=7, decimal_places=3, null=True, blank=True)
    adjustment = models.DecimalField(_("consensus adjustment"), max_digits=6, decimal_places=3, default=0)
    adjustment_reason = models.TextField(_("reason for the adjustment"), blank=True)
    final_score = models.DecimalField(_("final score"), max_digits=7, decimal_places=3, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [models.UniqueConstraint(fields=["group", "candidate"], name="focusgroups_one_outcome")]

    def __str__(self):
        return f"{self.group} · {self.candidate}: {self.final_score}"


class CandidateQuestion(models.Model):
    """A question or a request for evidence to a rostered candidate (回復用人機關), with a reply deadline."""

    group = models.ForeignKey(FocusGroup, verbose_name=_("focus group"),
                              on_delete=models.CASCADE, related_name="questions")
    candidate = models.ForeignKey("placement.Candidate", verbose_name=_("candidate"),
                                  on_delete=models.CASCADE, related_name="focus_group_questions")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"),
                                 on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("question"))
    reply_due_at = models.DateTimeField(_("reply by"))
    created_at = models.DateTimeField(_("asked at"))
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("question to a candidate")
        verbose_name_plural = _("questions to candidates")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.group} → {self.candidate}"


class QuestionReply(models.Model):
    """One message in a question's thread: the candidate's answer (text, files, a video) or a follow-up."""

    question = models.ForeignKey(CandidateQuestion, verbose_name=_("question"),
                                 on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"),
                               on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("reply"), blank=True)
    evidence = models.ManyToManyField("media_pipeline.EvidenceFile", verbose_name=_("evidence files"),
                                      blank=True, related_name="+")
    video = models.ForeignKey("media_pipeline.Video", verbose_name=_("video"),
                              on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    created_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.question} · {self.created_at:%Y-%m-%d %H:%M}"


class Reminder(models.Model):
    """That a reminder went out, so the periodic task sends each one once."""

    group = models.ForeignKey(FocusGroup, verbose_name=_("focus group"), on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                             on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=32)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["group", "user", "kind"], name="focusgroups_remind_once")]

    def __str__(self):
        return f"{self.kind} · {self.user}"
