"""Members score: drafts saved as they go, time-stamped notes on videos, a submission per candidate, reopening."""
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import clock
from core.audit import audit_event

from ..models import SCALE_MAX, SCALE_MIN, Criterion, FocusGroup, Member, Rating, Submission, VideoNote
from .shared import FocusGroupError, require_group_phase, require_not_finalised, require_state

NOTE_MAX_LENGTH = 1000


@dataclass(frozen=True)
class RatingInput:
    criterion_id: int
    score: int | None
    comment: str
    # The version of the rating the page was showing (0 for a rating not yet saved); None skips the check.
    version: int | None


def _require_member(group: FocusGroup, user) -> None:
    if not Member.objects.filter(group=group, user=user, removed_at__isnull=True).exists():
        raise FocusGroupError(_("Only members of this focus group can score its candidates."))


def _require_rostered(group: FocusGroup, candidate) -> None:
    if not group.roster.filter(candidate=candidate).exists():
        raise FocusGroupError(_("That candidate is not on this focus group's roster."))


def _submission_locked(group: FocusGroup, rater, candidate) -> Submission:
    """Return the rater's submission row for the candidate, locked: it serialises one rater's saves per candidate."""
    try:
        with transaction.atomic():
            Submission.objects.get_or_create(group=group, rater=rater, candidate=candidate)
    except IntegrityError:
        pass  # Another request created it first; the lock below waits for that request.
    return Submission.objects.select_for_update().get(group=group, rater=rater, candidate=candidate)


def _scoring_submission(group: FocusGroup, rater, candidate, closed_message: str) -> tuple[FocusGroup, Submission]:
    """Check that the rater may score the candidate now and return the group and the rater's locked submission."""
    group = FocusGroup.objects.select_related("cycle").get(pk=group.pk)
    require_group_phase(group)
    require_not_finalised(group)
    require_state(group, {FocusGroup.State.SCORING}, closed_message)
    _require_member(group, rater)
    _require_rostered(group, candidate)
    return group, _submission_locked(group, rater, candidate)


def _check_score(score) -> None:
    if score is not None and not (SCALE_MIN <= score <= SCALE_MAX):
        raise FocusGroupError(_("A score is a whole number from %(low)s to %(high)s.") % {"low": SCALE_MIN,
                                                                                         "high": SCALE_MAX})


def ratings_save(*, group: FocusGroup, candidate, rater, ratings: list[RatingInput]) -> dict[int, Rating]:
    """Save a member's draft scores and comments for a candidate, all or none; return them by criterion id.

    Each rating carries the version the page showed; an older version means another tab or request saved since,
    and the whole save is refused rather than overwrite what that one saved.
    """
    for item in ratings:
        _check_score(item.score)
    criteria = {criterion.pk: criterion for criterion in Criterion.objects.filter(group=group)}
    if any(item.criterion_id not in criteria for item in ratings):
        raise FocusGroupError(_("That criterion is not in this focus group's rubric."))
    with transaction.atomic():
        group, submission = _scoring_submission(group, rater, candidate,
                                                _("Scoring is not open, so scores cannot be saved."))
        if submission.submitted_at is not None:
            raise FocusGroupError(_("You have submitted your scores for this candidate; ask the leader to reopen "
                                    "them to make a change."))
        existing = {rating.criterion_id: rating for rating in Rating.objects.filter(
            group=group, rater=rater, candidate=candidate)}
        now = clock.now()
        saved = {}
        for item in ratings:
            current = existing.get(item.criterion_id)
            if item.version is not None and item.version != (current.version if current else 0):
                raise FocusGroupError(_("These scores were changed elsewhere (for example in another tab) since "
                                        "this page was opened. Reload the page to see them, then save again."))
            comment = item.comment.strip()
            if current is None:
                saved[item.criterion_id] = Rating.objects.create(
                    group=group, rater=rater, candidate=candidate, criterion_id=item.criterion_id,
                    score=item.score, comment=comment, updated_at=now)
                changes = {"score": [None, item.score], "comment": ["", comment]}
            elif (current.score, current.comment) != (item.score, comment):
                changes = {"score": [current.score, item.score], "comment": [current.comment, comment]}
                current.score, current.comment, current.updated_at = item.score, comment, now
                current.version += 1
                current.save(update_fields=["score", "comment", "updated_at", "version"])
                saved[item.criterion_id] = current
            else:
                saved[item.criterion_id] = current
                continue
            audit_event(saved[item.criterion_id], "rating.saved", actor=rater, group=group.pk,
                        candidate=candidate.pk, criterion=item.criterion_id,
                        changes={name: values for name, values in changes.items() if values[0] != values[1]})
    return saved


def submission_submit(*, group: FocusGroup, candidate, rater) -> Submission:
    """Submit a member's scores of a candidate: every criterion needs a score; then others' scores show."""
    with transaction.atomic():
        group, submission = _scoring_submission(group, rater, candidate,
                                                _("Scoring is not open, so scores cannot be submitted."))
        if submission.submitted_at is not None:
            return submission
        scored = set(Rating.objects.filter(group=group, rater=rater, candidate=candidate, score__isnull=False)
                     .values_list("criterion_id", flat=True))
        missing = [criterion.name for criterion in group.criteria.order_by("position") if criterion.pk not in scored]
        if missing:
            raise FocusGroupError(_("Score every criterion before submitting; still unscored: %(names)s.")
                                  % {"names": "、".join(missing)})
        submission.submitted_at = clock.now()
        submission.save(update_fields=["submitted_at"])
        audit_event(submission, "submission.submitted", actor=rater, group=group.pk, candidate=candidate.pk,
                    changes={"submitted_at": [None, submission.submitted_at]})
    return submission


def submission_reopen(*, group: FocusGroup, candidate, rater, reason: str, acting_user) -> Submission:
    """Let a member change submitted scores again (the leader's decision, with a reason); scoring reopens too."""
    reason = reason.strip()
    if not reason:
        raise FocusGroupError(_("Say why the scores are reopened; the reason is kept in the history."))
    with transaction.atomic():
        group = FocusGroup.objects.select_for_update().select_related("cycle").get(pk=group.pk)
        require_group_phase(group)
        require_not_finalised(group)
        require_state(group, {FocusGroup.State.SCORING, FocusGroup.State.CLOSED}, _("Scoring has not opened yet."))
        submission = Submission.objects.select_for_update().filter(
            group=group, rater=rater, candidate=candidate, submitted_at__isnull=False).first()
        if submission is None:
            raise FocusGroupError(_("Those scores are not submitted, so there is nothing to reopen."))
        old = submission.submitted_at
        submission.submitted_at = None
        submission.save(update_fields=["submitted_at"])
        audit_event(submission, "submission.reopened", actor=acting_user, group=group.pk, candidate=candidate.pk,
                    rater=rater.pk, reason=reason, changes={"submitted_at": [old, None]})
        if group.state == FocusGroup.State.CLOSED:
            group.state = FocusGroup.State.SCORING
            group.version += 1
            group.save(update_fields=["state", "version"])
            audit_event(group, "focus_group.scoring_reopened", actor=acting_user, reason=reason,
                        changes={"state": [FocusGroup.State.CLOSED, FocusGroup.State.SCORING]})
    return submission


# ---- Time-stamped notes -----------------------------------------------------------------------------------------

def video_note_add(*, group: FocusGroup, candidate, video, rater, at_seconds: int, text: str) -> VideoNote:
    """Keep a member's note at a moment of one of the candidate's videos."""
    text = text.strip()
    if not text:
        raise FocusGroupError(_("Write the note first."))
    if len(text) > NOTE_MAX_LENGTH:
        raise FocusGroupError(_("A note has at most %(count)s characters.") % {"count": NOTE_MAX_LENGTH})
    if at_seconds is None or at_seconds < 0:
        raise FocusGroupError(_("The time in the video must be zero or more seconds."))
    if video.candidate_id != candidate.pk:
        raise FocusGroupError(_("That video is not this candidate's."))
    if video.duration_seconds and at_seconds > video.duration_seconds + 1:
        raise FocusGroupError(_("That time is after the end of the video."))
    with transaction.atomic():
        group = FocusGroup.objects.select_related("cycle").get(pk=group.pk)
        require_group_phase(group)
        require_not_finalised(group)
        require_state(group, {FocusGroup.State.SCORING}, _("Scoring is not open, so notes cannot be added."))
        _require_member(group, rater)
        _require_rostered(group, candidate)
        note = VideoNote.objects.create(group=group, rater=rater, candidate=candidate, video=video,
                                        at_seconds=int(at_seconds), text=text, created_at=clock.now())
        audit_event(note, "video_note.added", actor=rater, group=group.pk, candidate=candidate.pk, video=video.pk,
                    changes={"text": [None, text], "at_seconds": [None, note.at_seconds]})
    return note


def video_note_remove(*, note: VideoNote, rater) -> None:
    if note.rater_id != rater.pk:
        raise FocusGroupError(_("You can remove only your own notes."))
    with transaction.atomic():
        group = FocusGroup.objects.select_related("cycle").get(pk=note.group_id)
        require_group_phase(group)
        require_not_finalised(group)
        require_state(group, {FocusGroup.State.SCORING}, _("Scoring is not open, so notes cannot change."))
        audit_event(note, "video_note.removed", actor=rater, group=group.pk, candidate=note.candidate_id,
                    changes={"text": [note.text, None], "at_seconds": [note.at_seconds, None]})
        note.delete()
