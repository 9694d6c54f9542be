"""Reads the focus-group pages use; each fixes its own query shape so a page's query count does not grow."""
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, Prefetch, QuerySet

from placement.models import Candidate

from . import scoring
from .models import (
    CandidateQuestion,
    Criterion,
    FocusGroup,
    Member,
    Outcome,
    QuestionReply,
    Rating,
    RosterEntry,
    Session,
    Submission,
    VideoNote,
)


def group_for_office(*, office, cycle) -> FocusGroup | None:
    return FocusGroup.objects.filter(office=office, cycle=cycle).select_related("office", "cycle", "leader").first()


def criteria_of(group: FocusGroup) -> list[Criterion]:
    return list(group.criteria.order_by("position", "pk"))


def members_of(group: FocusGroup, *, active_only: bool = True) -> list[Member]:
    members = group.members.select_related("user", "invitation").order_by("added_at", "pk")
    return list(members.filter(removed_at__isnull=True) if active_only else members)


def rater_ids(group: FocusGroup) -> list[int]:
    """Return the users who rate in the group now: its active members with an account."""
    return list(group.members.filter(removed_at__isnull=True, user__isnull=False).order_by("pk")
                .values_list("user_id", flat=True))


def roster_of(group: FocusGroup) -> list[Candidate]:
    return list(Candidate.objects.filter(focus_group_entries__group=group).order_by("exam_rank", "pk"))


def sessions_of(group: FocusGroup) -> list[Session]:
    return list(group.sessions.prefetch_related(Prefetch("attendees", queryset=Member.objects.select_related("user")))
                .order_by("starts_at", "pk"))


@dataclass
class Progress:
    """Who has submitted what: per member and per candidate, counted over the active members and the roster."""

    roster_size: int
    rater_count: int
    by_rater: dict[int, int]            # user id -> candidates submitted
    by_candidate: dict[int, int]        # candidate id -> raters who submitted
    complete: bool                      # every active rater submitted every rostered candidate


def progress_of(group: FocusGroup) -> Progress:
    raters = rater_ids(group)
    roster_size = group.roster.count()
    submitted = list(Submission.objects.filter(group=group, submitted_at__isnull=False, rater_id__in=raters,
                                               candidate__focus_group_entries__group=group)
                     .values_list("rater_id", "candidate_id"))
    by_rater: dict[int, int] = defaultdict(int)
    by_candidate: dict[int, int] = defaultdict(int)
    for rater_id, candidate_id in submitted:
        by_rater[rater_id] += 1
        by_candidate[candidate_id] += 1
    return Progress(roster_size=roster_size, rater_count=len(raters), by_rater=dict(by_rater),
                    by_candidate=dict(by_candidate),
                    complete=bool(raters) and roster_size > 0 and len(submitted) == len(raters) * roster_size)


def aggregate_of(group: FocusGroup) -> scoring.GroupResult:
    """Aggregate the submitted scores of the active raters over the roster (three queries)."""
    criteria = [scoring.CriterionWeight(key=criterion.pk, weight=float(criterion.weight))
                for criterion in group.criteria.all()]
    raters = rater_ids(group)
    roster = list(group.roster.values_list("candidate_id", flat=True))
    # Drafts never count: only the scores of a (rater, candidate) pair the rater submitted.
    submitted_pairs = set(Submission.objects.filter(group=group, submitted_at__isnull=False)
                          .values_list("rater_id", "candidate_id"))
    rows = (Rating.objects.filter(group=group, rater_id__in=raters, score__isnull=False, candidate_id__in=roster)
            .values_list("rater_id", "candidate_id", "criterion_id", "score"))
    scores = [scoring.Score(rater=rater, candidate=candidate, criterion=criterion, value=value)
              for rater, candidate, criterion, value in rows if (rater, candidate) in submitted_pairs]
    return scoring.aggregate(criteria, scores, raters=raters, candidates=roster)


def outcomes_of(group: FocusGroup) -> dict[int, Outcome]:
    return {outcome.candidate_id: outcome for outcome in group.outcomes.all()}


@dataclass
class RatingsView:
    """What one member sees of the scores for one candidate: their own, and others' once they submitted."""

    own: dict[int, Rating]
    submitted: bool
    others: list[Rating] = field(default_factory=list)
    own_notes: list[VideoNote] = field(default_factory=list)
    other_notes: list[VideoNote] = field(default_factory=list)


def ratings_for_member(*, group: FocusGroup, candidate, user) -> RatingsView:
    """Return a member's view of the candidate's scores and notes: others' stay hidden until they submit."""
    submitted = Submission.objects.filter(group=group, rater=user, candidate=candidate,
                                          submitted_at__isnull=False).exists()
    ratings = Rating.objects.filter(group=group, candidate=candidate).select_related("rater", "criterion")
    notes = VideoNote.objects.filter(group=group, candidate=candidate).select_related("rater")
    if not submitted:
        ratings, notes = ratings.filter(rater=user), notes.filter(rater=user)
    view = RatingsView(own={}, submitted=submitted)
    for rating in ratings.order_by("rater_id", "criterion__position"):
        if rating.rater_id == user.pk:
            view.own[rating.criterion_id] = rating
        else:
            view.others.append(rating)
    for note in notes.order_by("video_id", "at_seconds", "pk"):
        (view.own_notes if note.rater_id == user.pk else view.other_notes).append(note)
    return view


def ratings_by_rater(group: FocusGroup, *, candidate=None) -> dict[tuple[int, int], dict[int, int]]:
    """Return submitted scores, as (rater id, candidate id) -> {criterion id: score}, for the leader."""
    submissions = Submission.objects.filter(group=group, submitted_at__isnull=False)
    ratings = Rating.objects.filter(group=group, score__isnull=False)
    if candidate is not None:
        submissions, ratings = submissions.filter(candidate=candidate), ratings.filter(candidate=candidate)
    submitted = set(submissions.values_list("rater_id", "candidate_id"))
    table: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for rater, candidate_id, criterion, score in ratings.values_list(
            "rater_id", "candidate_id", "criterion_id", "score"):
        if (rater, candidate_id) in submitted:
            table[(rater, candidate_id)][criterion] = score
    return dict(table)


def comments_for_candidate(*, group: FocusGroup, candidate) -> list[Rating]:
    """Return the submitted ratings of a candidate that carry a comment, with their rater and criterion."""
    submitted = Submission.objects.filter(group=group, candidate=candidate, submitted_at__isnull=False)
    return list(Rating.objects.filter(group=group, candidate=candidate, rater_id__in=submitted.values("rater_id"))
                .exclude(comment="").select_related("rater", "criterion").order_by("criterion__position",
                                                                                     "rater__name"))


def my_submissions(*, group: FocusGroup, user) -> set[int]:
    return set(Submission.objects.filter(group=group, rater=user, submitted_at__isnull=False)
               .values_list("candidate_id", flat=True))


def questions_for_group(*, group: FocusGroup, candidate=None) -> QuerySet[CandidateQuestion]:
    questions = group.questions.select_related("asked_by", "candidate").prefetch_related(
        Prefetch("replies", queryset=QuestionReply.objects.select_related("author", "video")
                 .prefetch_related("evidence")))
    return questions.filter(candidate=candidate) if candidate is not None else questions


def groups_for_candidate(*, candidate) -> list[FocusGroup]:
    """Return the groups that have the candidate on their roster, with their sessions, for the candidate's page."""
    return list(FocusGroup.objects.filter(roster__candidate=candidate).select_related("office", "cycle")
                .prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("starts_at", "pk")))
                .order_by("office__sort_order", "office__name"))


def roster_counts(group_ids) -> dict[int, int]:
    return dict(RosterEntry.objects.filter(group_id__in=list(group_ids)).values("group_id")
                .annotate(total=Count("pk")).values_list("group_id", "total"))


@dataclass
class RaterTask:
    """A group on a rater's dashboard: its state and how many rostered candidates the rater still has to submit."""

    group: FocusGroup
    roster_size: int
    submitted: int


def rater_tasks(user) -> list[RaterTask]:
    """Return the user's groups of current cycles with their own progress, in three queries."""
    from .access import groups_led_by, groups_rated_by

    groups = list((groups_rated_by(user) | groups_led_by(user)).filter(cycle__is_current=True).distinct()
                  .select_related("office", "cycle").order_by("office__sort_order", "office__name"))
    ids = [group.pk for group in groups]
    sizes = roster_counts(ids)
    submitted = dict(Submission.objects.filter(group_id__in=ids, rater=user, submitted_at__isnull=False,
                                               candidate__focus_group_entries__group_id__in=ids)
                     .values("group_id").annotate(total=Count("pk")).values_list("group_id", "total"))
    return [RaterTask(group=group, roster_size=sizes.get(group.pk, 0), submitted=submitted.get(group.pk, 0))
            for group in groups]


def open_questions_count(*, candidate_ids) -> int:
    """Return how many questions to these candidates have no reply from the candidate yet."""
    return (CandidateQuestion.objects.filter(candidate_id__in=list(candidate_ids))
            .exclude(replies__author=models.F("candidate__user")).distinct().count())


def group_history(group: FocusGroup):
    """Return every audit entry about the group: its own, and those of its rows, which name it as `group`."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from core.audit import history_where

    return history_where(Q(content_type=ContentType.objects.get_for_model(FocusGroup), object_pk=str(group.pk))
                         | Q(additional_data__group=group.pk))
