"""Demo focus group: 大安所's group scored the candidates who consent for it and finalised before its deadline.

The demo cycle is in its preference phase, after the focus-group deadline, so the group is written as of a day
before that deadline (core.clock.frozen_at) and is finalised: its leader and member can read every page, the
results and the record, and its final scores are the office's suitability scores for the blended policy.
"""
import random
from datetime import timedelta

from django.db import transaction

from accounts.models import User
from core import clock
from placement import selectors as placement_selectors
from placement.demo import DEMO_ACCOUNTS, DEMO_CANDIDATE_RANK, DEMO_OFFICE_CODE
from placement.models import LandOffice
from portfolios.selectors import consenting_candidate_ids

from .models import FocusGroup, Rating
from .services.groups import focus_group_create, member_add, roster_fix, scoring_open, session_record, session_save
from .services.outcome import focus_group_finalise, outcome_adjust
from .services.questions import question_ask, question_reply
from .services.ratings import RatingInput, ratings_save, submission_submit

DEMO_SEED = 2026
LEADER_EMAIL = next(spec.email for spec in DEMO_ACCOUNTS if spec.role == "focus_group_leader")
MEMBER_EMAIL = next(spec.email for spec in DEMO_ACCOUNTS if spec.role == "focus_group_member")


def demo_load() -> int:
    """Build and finalise the demo office's group once; return 1 when it was built."""
    cycle = placement_selectors.current_cycle()
    office = LandOffice.objects.filter(code=DEMO_OFFICE_CODE).first()
    leader = User.objects.filter(email=LEADER_EMAIL).first()
    member = User.objects.filter(email=MEMBER_EMAIL).first()
    if None in (cycle, office, leader, member) or FocusGroup.objects.filter(office=office, cycle=cycle).exists():
        return 0
    deadline = cycle.focus_groups_until or clock.now() + timedelta(days=2)
    # A seeded demo, the same on every machine, not a secret (bandit B311).
    rng = random.Random(DEMO_SEED)  # nosec B311
    with transaction.atomic():
        with clock.frozen_at(deadline - timedelta(days=6)):
            group = focus_group_create(office=office, cycle=cycle, leader=leader)
            member_add(group=group, email=member.email, acting_user=leader)
            session = session_save(group=group, session=None, starts_at=deadline - timedelta(days=5),
                                   duration_minutes=90, meeting_url="https://meet.example.org/daan-focus-group",
                                   agenda="說明評分量表、分配影片、討論實作題答案。", acting_user=leader)
            roster = list(cycle.candidates.filter(pk__in=consenting_candidate_ids([office.pk]))
                          .select_related("user").order_by("exam_rank"))
            roster_fix(group=group, candidate_ids=[c.pk for c in roster], version=None, acting_user=leader)
            scoring_open(group=group, version=None, acting_user=leader)
            demo_candidate = next((c for c in roster if c.exam_rank == DEMO_CANDIDATE_RANK), None)
            if demo_candidate is not None and demo_candidate.user is not None:
                question = question_ask(group=group, candidate=demo_candidate, acting_user=leader,
                                        text="請補充說明影片中導線閉合差的計算方式。",
                                        reply_due_at=deadline - timedelta(days=2))
        with clock.frozen_at(deadline - timedelta(days=4)):
            session_record(session=session, minutes="確認量表與分工；張員負責上傳影片之檢視。",
                           attendee_ids=list(group.members.values_list("pk", flat=True)), acting_user=leader)
            if demo_candidate is not None and demo_candidate.user is not None:
                question_reply(question=question, author=demo_candidate.user,
                               text="閉合差以邊長比例分配，計算表已附於作品集。")
            criteria = list(group.criteria.order_by("position"))
            for candidate in roster:
                merit = rng.uniform(2.5, 4.5)
                for rater, severity in ((leader, 0.0), (member, -0.4)):
                    ratings_save(group=group, candidate=candidate, rater=rater, ratings=[
                        RatingInput(criterion_id=criterion.pk, version=None, comment="",
                                    score=min(5, max(1, round(merit + severity + rng.uniform(-0.8, 0.8)))))
                        for criterion in criteria])
                    submission_submit(group=group, candidate=candidate, rater=rater)
            Rating.objects.filter(group=group, rater=member, criterion=criteria[1]).update(
                comment="定心定平步驟完整。")
        with clock.frozen_at(deadline - timedelta(days=1)):
            if roster:
                outcome_adjust(group=group, candidate=roster[-1], adjustment="0.25", version=None,
                               reason="小組討論後認為實作題表現優於影片所見。", acting_user=leader)
            focus_group_finalise(group=group, missing_scores_reason="", version=None, acting_user=leader)
    return 1
