"""The "my videos" and "our videos" pages: adding, listing, watching and removing, each within its owner's scope."""
import pytest
from django.urls import reverse

from accounts.roles import Role
from media_pipeline.models import EvidenceFile, MediaLimits, Video
from placement.models import Vacancy
from placement.services.preferences import preference_list_save
from portfolios.services import portfolio_consent_set
from tests.factories import CandidateFactory, LandOfficeFactory, make_user
from tests.media_pipeline.factories import YOUTUBE_ID as ID
from tests.media_pipeline.factories import evidence_file, youtube_link
from tests.media_pipeline.history import entry, events

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_youtube_key(settings):
    # Without a key a link is kept as "not verified" at once, and no check is queued.
    settings.YOUTUBE_API_KEY = ""


def _link(candidate=None, office=None, youtube_id=ID, state=None):
    return youtube_link(candidate=candidate, office=office, youtube_id=youtube_id, state=state)


def test_a_candidate_adds_a_youtube_link_and_sees_it_listed(candidate_client, candidate):
    """Posting a link adds it to the candidate's list with its state."""
    response = candidate_client.post(reverse("media_pipeline:my_video_add_link"),
                                     {"url": f"https://www.youtube.com/watch?v={ID}&t=3", "title": "經緯儀整置"})
    assert response.status_code == 302
    video = Video.objects.get()
    assert (video.candidate, video.youtube_id, video.title) == (candidate, ID, "經緯儀整置")
    assert events(video) == [("video.link_added", candidate.user, {})]
    assert entry(video, "video.link_added").additional_data == {
        "event": "video.link_added", "youtube_id": ID, "state": "not_verified", "candidate": candidate.pk}
    page = candidate_client.get(reverse("media_pipeline:my_videos")).content.decode()
    assert "經緯儀整置" in page and video.get_state_display() in page


def test_a_link_that_is_not_youtube_is_refused_with_a_message(candidate_client):
    """Another site's link is refused, nothing is saved, and the form says what to paste."""
    candidate_client.cookies["django_language"] = "en"
    response = candidate_client.post(reverse("media_pipeline:my_video_add_link"),
                                     {"url": "https://example.com/video.mp4"})
    assert response.status_code == 400
    assert "not a YouTube video link" in response.content.decode()
    assert not Video.objects.exists()


def test_the_same_link_twice_is_refused(candidate_client, candidate):
    """A link already in the list is not added again."""
    _link(candidate)
    response = candidate_client.post(reverse("media_pipeline:my_video_add_link"), {"url": f"https://youtu.be/{ID}"})
    assert response.status_code == 400
    assert Video.objects.count() == 1


def test_the_watch_page_uses_the_privacy_enhanced_embed(candidate_client, candidate):
    """A YouTube video plays from youtube-nocookie.com, never youtube.com's tracking embed."""
    video = _link(candidate)
    body = candidate_client.get(video.get_absolute_url()).content.decode()
    assert f"https://www.youtube-nocookie.com/embed/{ID}" in body
    assert "www.youtube.com/embed" not in body


def test_a_candidate_removes_their_video(candidate_client, candidate):
    """Remove deletes the video; its history, the removal last, outlives it."""
    video = _link(candidate)
    response = candidate_client.post(reverse("media_pipeline:video_remove", kwargs={"pk": video.pk}))
    assert response.status_code == 302
    assert not Video.objects.exists()
    removed = Video(pk=video.pk)
    assert events(removed) == [("video.link_added", candidate.user, {}), ("video.removed", candidate.user, {})]
    removal = entry(removed, "video.removed")
    assert removal.object_repr == "示範影片"
    assert removal.additional_data == {"event": "video.removed", "title": "示範影片", "kind": "youtube",
                                       "state": "not_verified", "files": [], "candidate": candidate.pk}


def test_another_candidates_video_answers_404_like_a_missing_one(client, cycle):
    """Watching, removing or uploading to another candidate's video answers 404."""
    other = _link(CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE)))
    client.force_login(CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE)).user)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.post(reverse("media_pipeline:video_remove", kwargs={"pk": other.pk})).status_code == 404
    assert client.post(reverse("media_pipeline:video_upload_finish", kwargs={"pk": other.pk})).status_code == 404
    assert Video.objects.filter(pk=other.pk).exists()


def _ranking(candidate, *offices):
    """Give a candidate a preference list naming these offices (each with a vacancy in the cycle)."""
    for office in offices:
        Vacancy.objects.get_or_create(cycle=candidate.cycle, office=office, defaults={"seats": 2})
    preference_list_save(candidate=candidate, office_ids=[office.pk for office in offices])


def test_evaluators_watch_candidate_videos_but_cannot_remove_them(client, candidate, office):
    """Examination staff and the ranked office's focus group members watch a candidate's video; none removes it.

    Removing is a URL their roles may not reach at all, so the access table answers 403 before any lookup.
    """
    video = _link(candidate)
    _ranking(candidate, office)
    for user in (make_user(Role.EXAM_STAFF), make_user(Role.FOCUS_GROUP_MEMBER, office=office)):
        client.force_login(user)
        assert client.get(video.get_absolute_url()).status_code == 200
        assert client.post(reverse("media_pipeline:video_remove", kwargs={"pk": video.pk})).status_code == 403
    assert Video.objects.filter(pk=video.pk).exists()


def test_focus_groups_see_only_the_candidates_who_consent_for_their_office(client, cycle):
    """A leader or member at office A watches the videos and evidence of candidates who consent for A, no one else's.

    A candidate who has not chosen yet consents for the offices on their preference list; a withdrawn consent
    hides the videos and files again.
    """
    office_a, office_b = LandOfficeFactory(), LandOfficeFactory()
    ranked_a = CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE))
    ranked_b = CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE))
    _ranking(ranked_a, office_b, office_a)
    _ranking(ranked_b, office_b)
    videos, evidence = {}, {}
    for candidate in (ranked_a, ranked_b):
        videos[candidate.pk] = _link(candidate)
        evidence[candidate.pk] = evidence_file(candidate=candidate, title="測站")
    assert EvidenceFile.objects.count() == 2

    def answers(user, candidate):
        client.force_login(user)
        url = reverse("media_pipeline:evidence_file", kwargs={"pk": evidence[candidate.pk].pk})
        return client.get(videos[candidate.pk].get_absolute_url()).status_code, client.get(url).status_code

    evaluators = [make_user(role, office=office_a) for role in (Role.FOCUS_GROUP_LEADER, Role.FOCUS_GROUP_MEMBER)]
    for user in evaluators:
        assert answers(user, ranked_a) == (200, 200)
        assert answers(user, ranked_b) == (404, 404)
    # Examination staff evaluate everyone.
    assert answers(make_user(Role.EXAM_STAFF), ranked_b) == (200, 200)
    # ranked_a withdraws the consent for office A and keeps B's.
    portfolio_consent_set(candidate=ranked_a, office_ids=[office_b.pk], acting_user=ranked_a.user)
    for user in evaluators:
        assert answers(user, ranked_a) == (404, 404)
    assert answers(make_user(Role.FOCUS_GROUP_MEMBER, office=office_b), ranked_a) == (200, 200)
    assert answers(make_user(Role.EXAM_STAFF), ranked_a) == (200, 200)


def test_a_rejected_candidate_video_is_seen_only_by_its_owner(client, candidate):
    """Evaluators do not see a candidate's rejected video."""
    video = _link(candidate, state=Video.State.REJECTED)
    client.force_login(make_user(Role.EXAM_STAFF))
    assert client.get(video.get_absolute_url()).status_code == 404


def test_office_staff_manage_their_own_offices_videos_only(client, office, staff_user):
    """Office staff add to and remove from their office's list; another office's list answers 404."""
    client.force_login(staff_user)
    assert client.get(reverse("media_pipeline:our_videos"))["Location"] == reverse(
        "media_pipeline:office_videos", kwargs={"office_id": office.pk})
    client.post(reverse("media_pipeline:office_video_add_link", kwargs={"office_id": office.pk}),
                {"url": f"https://youtu.be/{ID}", "title": "本所簡介"})
    video = Video.objects.get()
    assert video.office == office
    other = LandOfficeFactory()
    assert client.get(reverse("media_pipeline:office_videos", kwargs={"office_id": other.pk})).status_code == 404
    assert client.post(reverse("media_pipeline:office_video_add_link", kwargs={"office_id": other.pk}),
                       {"url": "https://youtu.be/aaaaaaaaaaa"}).status_code == 404
    other_video = _link(office=other)
    assert client.post(reverse("media_pipeline:video_remove", kwargs={"pk": other_video.pk})).status_code == 404
    assert client.post(reverse("media_pipeline:video_remove", kwargs={"pk": video.pk})).status_code == 302


def test_candidates_watch_office_videos(client, candidate, office):
    """An office's introduction video is open to every signed-in user."""
    video = _link(office=office)
    client.force_login(candidate.user)
    assert client.get(video.get_absolute_url()).status_code == 200


def test_a_candidate_without_a_candidacy_is_told_why_there_is_no_form(client):
    """The page explains that the account is not linked to a candidacy yet."""
    client.force_login(make_user(Role.CANDIDATE))
    client.cookies["django_language"] = "en"
    response = client.get(reverse("media_pipeline:my_videos"))
    assert response.status_code == 200
    assert "not linked to a candidacy" in response.content.decode()
    assert client.post(reverse("media_pipeline:my_video_add_link"), {"url": ID}).status_code == 404


def test_the_navigation_offers_each_role_its_video_page(client, candidate, staff_user):
    """Candidates see "My videos", office staff "Our videos", and neither sees the other's."""
    client.force_login(candidate.user)
    body = client.get(reverse("dashboard")).content.decode()
    assert reverse("media_pipeline:my_videos") in body and reverse("media_pipeline:our_videos") not in body
    client.force_login(staff_user)
    body = client.get(reverse("dashboard"), follow=True).content.decode()
    assert reverse("media_pipeline:our_videos") in body and reverse("media_pipeline:my_videos") not in body


def test_the_video_list_keeps_a_constant_number_of_queries(candidate_client, candidate, page_queries):
    """The list costs the same queries with 2 or 20 videos."""
    for n in range(2):
        _link(candidate, youtube_id=f"a{n:010d}")
    url = reverse("media_pipeline:my_videos")
    few = page_queries(candidate_client, url).count
    for n in range(18):
        _link(candidate, youtube_id=f"b{n:010d}", state=Video.State.REJECTED)
    assert (few, page_queries(candidate_client, url).count) == (7, 7)


def test_office_staff_start_an_upload_within_the_current_cycles_limit(client, office, staff_user, cycle):
    """An office upload gets a ticket under the current cycle's size limit, and a larger one is refused."""
    MediaLimits.objects.create(cycle=cycle, max_upload_bytes=5000, max_duration_seconds=60)
    client.force_login(staff_user)
    url = reverse("media_pipeline:office_video_upload_start", kwargs={"office_id": office.pk})
    ok = client.post(url, {"file_name": "intro.mp4", "size": 4000, "content_type": "video/mp4"})
    assert ok.status_code == 200 and Video.objects.get().office == office
    assert client.post(url, {"file_name": "intro.mp4", "size": 6000, "content_type": "video/mp4"}).status_code == 400
    refused = client.post(url, {"file_name": "page.html", "size": 10, "content_type": "text/html"})
    assert refused.status_code == 400


def test_the_office_video_list_keeps_a_constant_number_of_queries(client, office, staff_user, page_queries):
    """The office list costs the same queries with 2 or 20 videos."""
    client.force_login(staff_user)
    for n in range(2):
        _link(office=office, youtube_id=f"a{n:010d}")
    url = reverse("media_pipeline:office_videos", kwargs={"office_id": office.pk})
    few = page_queries(client, url).count
    for n in range(18):
        _link(office=office, youtube_id=f"b{n:010d}")
    assert (few, page_queries(client, url).count) == (8, 8)
