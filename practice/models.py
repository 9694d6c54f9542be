"""Each land office's question bank and practical tasks, and what candidates answer to them."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from placement.models import Candidate, LandOffice


class Category(models.TextChoices):
    CADASTRAL_SURVEY = "cadastral_survey", _("Cadastral survey")
    SURVEYING_LAW = "surveying_law", _("Surveying law")
    GIS_CARTOGRAPHY = "gis_cartography", _("GIS and cartography")
    INSTRUMENT_OPERATION = "instrument_operation", _("Instrument operation")
    TRAVERSE_LEVELLING = "traverse_levelling", _("Traverse and levelling computation")


class Question(models.Model):
    """A multiple-choice question of one office's bank, with one or more right choices."""

    office = models.ForeignKey(LandOffice, on_delete=models.CASCADE, related_name="practice_questions",
                               verbose_name=_("land office"))
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    text = models.TextField(_("question"))
    explanation = models.TextField(_("explanation"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved at"), auto_now=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["office", "position", "pk"]

    def __str__(self):
        return self.text[:60]


class Choice(models.Model):
    """One answer a candidate may choose; its place among the question's choices gives its letter A–F."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices",
                                 verbose_name=_("question"))
    text = models.CharField(_("choice"), max_length=500)
    is_correct = models.BooleanField(_("right answer"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "position", "pk"]

    def __str__(self):
        return self.text[:60]


class PracticalTask(models.Model):
    """A practical task of one office: what to do, what a good answer shows, and an optional file to work from."""

    office = models.ForeignKey(LandOffice, on_delete=models.CASCADE, related_name="practical_tasks",
                               verbose_name=_("land office"))
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"))
    good_answer = models.TextField(_("what a good answer shows"))
    attachment = models.FileField(_("attachment"), max_length=300, blank=True)
    attachment_name = models.CharField(_("attachment file name"), max_length=255, blank=True)
    attachment_content_type = models.CharField(_("attachment file type"), max_length=100, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved at"), auto_now=True)

    class Meta:
        verbose_name = _("practical task")
        verbose_name_plural = _("practical tasks")
        ordering = ["office", "position", "pk"]

    def __str__(self):
        return self.title


class PracticeAttempt(models.Model):
    """One go of a candidate at an office's multiple-choice set; every attempt is kept.

    `answers` keeps what the candidate saw and chose, question by question, so an attempt reads the same after
    the office edits or removes a question: a list of {"question", "category", "text", "explanation",
    "choices": [{"letter", "text", "is_correct", "chosen"}], "is_right"}.
    """

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="practice_attempts",
                                  verbose_name=_("candidate"))
    office = models.ForeignKey(LandOffice, on_delete=models.CASCADE, related_name="practice_attempts",
                               verbose_name=_("land office"))
    # The questions asked, fixed when the attempt starts, so that questions the office adds meanwhile do not
    # count against it.
    question_ids = models.JSONField(_("questions asked"), default=list, blank=True)
    started_at = models.DateTimeField(_("started at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.PositiveIntegerField(_("score"), default=0)
    question_count = models.PositiveIntegerField(_("questions"), default=0)
    answers = models.JSONField(_("answers given"), default=list, blank=True)

    class Meta:
        verbose_name = _("practice attempt")
        verbose_name_plural = _("practice attempts")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.candidate} @ {self.office} {self.started_at:%Y-%m-%d %H:%M}"


class TaskAnswer(models.Model):
    """A candidate's answer to a practical task: a text and files; every submitted answer is kept."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="task_answers",
                                  verbose_name=_("candidate"))
    task = models.ForeignKey(PracticalTask, on_delete=models.PROTECT, related_name="answers",
                             verbose_name=_("practical task"))
    text = models.TextField(_("answer"))
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("task answer")
        verbose_name_plural = _("task answers")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self):
        return f"{self.candidate} → {self.task}"


class TaskAnswerFile(models.Model):
    """A file attached to a task answer, stored only after its content was checked."""

    answer = models.ForeignKey(TaskAnswer, verbose_name=_("task answer"),
                               on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("stored file"), max_length=300)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("task answer file")
        verbose_name_plural = _("task answer files")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name
