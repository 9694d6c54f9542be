"""What the focus groups hold about a candidate, for the privacy app.

Erasing deletes the questions put to the candidate with the whole thread of replies (the candidate's own words and
files) and the members' notes on the candidate's videos, and blanks the members' written comments. It keeps the
roster entries, the scores, the submissions and the leader's outcomes: they are the evaluation record behind the
office's suitability scores, which the published placement was computed from, and hold numbers, not words about
the person.
"""
from core.registry import PersonalData

from .models import CandidateQuestion, Outcome, Rating, RosterEntry, VideoNote


def candidate_export(candidate) -> PersonalData:
    """Return the groups that have the candidate on their roster, their outcome, and the questions and replies."""
    roster = RosterEntry.objects.filter(candidate=candidate).select_related("group__office").order_by("pk")
    outcomes = Outcome.objects.filter(candidate=candidate, group__state="finalised").select_related(
        "group__office").order_by("pk")
    questions = (CandidateQuestion.objects.filter(candidate=candidate).select_related("group__office")
                 .prefetch_related("replies__evidence").order_by("pk"))
    return PersonalData(data={
        "rosters": [{"office": entry.group.office.name, "added_at": entry.added_at} for entry in roster],
        "outcomes": [{"office": outcome.group.office.name, "final_score": outcome.final_score, "rank": outcome.rank}
                     for outcome in outcomes],
        "questions": [{
            "office": question.group.office.name, "text": question.text, "asked_at": question.created_at,
            "reply_due_at": question.reply_due_at,
            "replies": [{
                "from": "candidate" if reply.author_id == candidate.user_id else "focus_group",
                "text": reply.text, "sent_at": reply.created_at, "video": reply.video_id,
                "evidence_files": [item.pk for item in reply.evidence.all()],
            } for reply in question.replies.all()],
        } for question in questions],
    })


def candidate_erase(candidate) -> list[str]:
    """Delete the questions to the candidate, their replies and the video notes; blank the members' comments."""
    # The replies go with their question; the files attached to them are the candidate's evidence files, which
    # the media pipeline's eraser deletes.
    CandidateQuestion.objects.filter(candidate=candidate).delete()
    VideoNote.objects.filter(candidate=candidate).delete()
    Rating.objects.filter(candidate=candidate).exclude(comment="").update(comment="")
    return []
