"""Extra fields posted with a form change nothing the form does not offer: no score, state, office, rank or role."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import RoleGrant, User
from focusgroups.models import Criterion, Rating
from media_pipeline.models import EvidenceFile, Video
from offices.services import profile_facts
from placement.models import Candidate, LandOffice, PlaceResponse, PreferenceEntry, SuitabilityScore
from portfolios.models import Portfolio
from practice.models import PracticeAttempt, TaskAnswer
from tests.media_pipeline.factories import PNG
from tests.security.conftest import signed_in

pytestmark = pytest.mark.django_db


def _extras(world) -> dict:
    """The fields an attacker adds to any form, each naming office B, candidate 2 or a privileged value."""
    b = world.b
    return {"exam_rank": "1", "exam_score": "100", "office": str(b.office.pk), "office_id": str(b.office.pk),
            "state": "verified", "status": "published", "score": "100", "suitability": "100",
            "user": str(b.candidate.user.pk), "candidate": str(b.candidate.pk), "candidate_id": str(b.candidate.pk),
            "is_staff": "on", "is_superuser": "on", "role": "exam_staff", "code": "HIJACKED", "cycle": "999"}


def _guarded() -> dict:
    """The rows the extras aim at, to compare before and after."""
    return {
        "candidates": list(Candidate.objects.order_by("pk").values(
            "pk", "user", "cycle", "exam_number", "exam_rank", "exam_score", "name", "on_reserve_list")),
        "offices": list(LandOffice.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values("pk", "email", "is_staff", "is_superuser", "is_active")),
        "roles": list(RoleGrant.objects.order_by("pk").values("user", "role", "office")),
        "suitability": list(SuitabilityScore.objects.order_by("pk").values()),
        "videos": list(Video.objects.order_by("pk").values("pk", "candidate", "office", "state")),
        "evidence": list(EvidenceFile.objects.order_by("pk").values("pk", "candidate")),
    }


def _new_rows_belong_to_candidate_1(world, before: dict) -> None:
    known_videos = {row["pk"] for row in before["videos"]}
    for video in Video.objects.exclude(pk__in=known_videos):
        assert (video.candidate_id, video.office_id) == (world.a.candidate.pk, None)
        assert video.state != Video.State.VERIFIED
    known_evidence = {row["pk"] for row in before["evidence"]}
    for item in EvidenceFile.objects.exclude(pk__in=known_evidence):
        assert item.candidate_id == world.a.candidate.pk


def _posted(world, client, url, data, *, files=None):
    before = _guarded()
    response = client.post(url, {**data, **_extras(world), **(files or {})})
    assert response.status_code in (200, 302), f"{url}: {response.status_code}"
    after = _guarded()
    _new_rows_belong_to_candidate_1(world, before)
    # Existing rows keep every guarded value; new rows are checked above.
    for key in ("candidates", "offices", "users", "roles", "suitability"):
        assert after[key] == before[key], f"{url} changed {key}"
    assert [row for row in after["videos"] if row in before["videos"] or row["pk"] not in
            {r["pk"] for r in before["videos"]}] == after["videos"], f"{url} changed a video"
    assert {row["pk"]: row for row in after["evidence"]}.items() >= {
        row["pk"]: row for row in before["evidence"] if row["pk"] in {r["pk"] for r in after["evidence"]}}.items()
    return response


def test_a_candidates_forms_ignore_scores_state_office_rank_and_role(world):
    """Every form a candidate posts does its own work only, whatever else is posted with it."""
    client = signed_in(world.a.candidate.user)
    own_video = world.a.objects["candidate_video"]
    _posted(world, client, reverse("placement:preference_edit"), {"action": f"add:{world.b.office.pk}"})
    assert list(PreferenceEntry.objects.filter(preference_list__candidate=world.a.candidate)
                .values_list("office", flat=True).order_by("position")) == [world.a.office.pk, world.b.office.pk]
    _posted(world, client, reverse("placement:residence_edit"), {"county": "臺北市", "district": "信義區"})
    assert Candidate.objects.get(pk=world.a.candidate.pk).residence_district == "信義區"
    videos_before = Video.objects.count()
    _posted(world, client, reverse("media_pipeline:my_video_add_link"),
            {"url": "https://youtu.be/bbbbbbbbbbb", "title": "新影片"})
    _posted(world, client, reverse("media_pipeline:my_video_upload_start"),
            {"title": "上傳", "file_name": "b.mp4", "size": "10", "content_type": "video/mp4"})
    assert Video.objects.count() == videos_before + 2
    evidence_before = EvidenceFile.objects.count()
    _posted(world, client, reverse("media_pipeline:my_evidence"), {"title": "照片"},
            files={"file": SimpleUploadedFile("p.png", PNG, content_type="image/png")})
    assert EvidenceFile.objects.count() == evidence_before + 1
    _posted(world, client, reverse("portfolios:mine"), {"summary": "新的摘要。"})
    assert Portfolio.objects.get(candidate=world.a.candidate).summary == "新的摘要。"
    _posted(world, client, reverse("portfolios:video_describe", kwargs={"video_id": own_video.pk}), {
        "terrain": "mountain", "instrument_make": "Topcon", "instrument_model": "GT-1200", "weather": "晴",
        "visibility": "良好", "shows": "導線", "steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "0",
        "steps-0-text": "整置", "steps-0-at": ""})
    world.phase_focus_groups()
    question = world.a.objects["candidate_question"]
    replies_before = question.replies.count()
    _posted(world, client, reverse("focusgroups:candidate_question", kwargs={"question_id": question.pk}),
            {"text": "補充說明。"})
    assert question.replies.count() == replies_before + 1
    assert question.replies.order_by("-pk").first().author == world.a.candidate.user


def test_office_staff_cannot_move_their_profile_to_another_office_or_change_its_code(world):
    """The profile form saves office A's facts only; the office's code and office B stay as they were."""
    client = signed_in(world.a.staff)
    facts = {key: ("" if value is None else value) for key, value in profile_facts(world.a.objects["profile"]).items()}
    facts["field_conditions"] = "颱風季外業停工。"
    management = {f"{prefix}-{name}": "0" for prefix in ("resurvey", "instruments")
                  for name in ("TOTAL_FORMS", "INITIAL_FORMS")}
    b_profile = list(type(world.b.objects["profile"]).objects.filter(pk=world.b.objects["profile"].pk).values())
    response = _posted(world, client, reverse("offices:profile_edit", kwargs={"code": world.a.office.code}),
                       {**facts, **management})
    assert response.status_code == 302, response.content.decode()[:2000]
    world.a.objects["profile"].refresh_from_db()
    assert world.a.objects["profile"].field_conditions == "颱風季外業停工。"
    assert world.a.objects["profile"].office_id == world.a.office.pk
    assert list(type(world.b.objects["profile"]).objects.filter(pk=world.b.objects["profile"].pk).values()) == b_profile


def test_a_focus_group_member_scores_only_as_themselves_and_only_their_roster(world):
    """Posted rater, candidate and group fields, and another group's criteria, are ignored or refused."""
    world.phase_focus_groups()
    a, b = world.a, world.b
    group = a.objects["group"]
    own = Criterion.objects.filter(group=group).first()
    foreign = Criterion.objects.filter(group=b.objects["group"]).first()
    assert own is not None and foreign is not None
    data = {f"c{own.pk}-score": "4", f"c{own.pk}-comment": "穩定", f"c{foreign.pk}-score": "1",
            "rater": str(a.leader.pk), "rater_id": str(a.leader.pk), "group": str(b.objects["group"].pk),
            "criterion": str(foreign.pk), **_extras(world), "candidate": str(b.candidate.pk)}
    client = signed_in(a.member)
    url = reverse("focusgroups:score_candidate", kwargs={"pk": group.pk, "candidate_id": a.candidate.pk})
    response = client.post(url, data, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    assert list(Rating.objects.values_list("group", "rater", "candidate", "criterion", "score")) == [
        (group.pk, a.member.pk, a.candidate.pk, own.pk, 4)]
    # Candidate 2 is not on office A's roster: the same form for them is refused and stores nothing.
    for name in ("focusgroups:score_candidate", "focusgroups:score_submit"):
        off_roster = reverse(name, kwargs={"pk": group.pk, "candidate_id": b.candidate.pk})
        assert client.post(off_roster, data).status_code == 404
    assert Rating.objects.count() == 1


def test_a_candidates_practice_answers_and_place_answer_ignore_posted_scores_and_states(world):
    """The attempt's score is counted from the choices; the answer and the place answer are candidate 1's own."""
    a, b = world.a, world.b
    client = signed_in(a.candidate.user)
    attempt = a.objects["attempt"]
    question = a.objects["question"]
    wrong = question.choices.filter(is_correct=False).first()
    _posted(world, client, reverse("practice:attempt_detail", kwargs={"pk": attempt.pk}),
            {f"question_{question.pk}": str(wrong.pk), "question_count": "0", "answers": "[]"})
    attempt = PracticeAttempt.objects.get(pk=attempt.pk)
    assert attempt.submitted_at is not None
    assert (attempt.score, attempt.question_count) == (0, 1)
    task = a.objects["published_task"]
    _posted(world, client, reverse("practice:task_detail", kwargs={"pk": task.pk}), {"text": "改正數如附。"})
    answer = TaskAnswer.objects.order_by("-pk").first()
    assert (answer.candidate_id, answer.task_id, answer.text) == (a.candidate.pk, task.pk, "改正數如附。")
    foreign_response = list(PlaceResponse.objects.filter(pk=b.objects["place_response"].pk).values())
    _posted(world, client, reverse("placement:place_answer", kwargs={"pk": a.objects["past_candidate"].pk}),
            {"action": "confirm", "assignment": str(b.objects["place_response"].assignment_id),
             "response": str(b.objects["place_response"].pk)})
    assert PlaceResponse.objects.get(pk=a.objects["place_response"].pk).state == PlaceResponse.State.CONFIRMED
    assert list(PlaceResponse.objects.filter(pk=b.objects["place_response"].pk).values()) == foreign_response
