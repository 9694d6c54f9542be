"""After the submissions deadline a candidate's videos and evidence stay put: the focus groups are evaluating them."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from core import clock
from core.audit import history_list
from media_pipeline.models import EvidenceFile, Video
from media_pipeline.services.evidence import evidence_remove
from media_pipeline.services.shared import MediaError
from media_pipeline.services.videos import video_remove
from tests.factories import make_user
from tests.media_pipeline.factories import PNG, evidence_file, youtube_link
from tests.media_pipeline.history import entry

pytestmark = pytest.mark.django_db

CLOSED = "Your submissions are closed: the focus groups are evaluating what you submitted"


@pytest.fixture(autouse=True)
def _english_and_no_youtube_key(settings, client):
    settings.YOUTUBE_API_KEY = ""
    client.cookies["django_language"] = "en"


def _close_submissions(cycle):
    cycle.submissions_until = clock.now() - timedelta(hours=1)
    cycle.save(update_fields=["submissions_until"])


def test_a_candidate_cannot_remove_a_video_after_the_deadline(candidate_client, candidate):
    """The remove request is refused with the reason, the video stays, and no removal is recorded."""
    video = youtube_link(candidate=candidate)
    _close_submissions(candidate.cycle)
    with translation.override("en"), pytest.raises(MediaError, match="it can no longer be removed"):
        video_remove(video=video, acting_user=candidate.user)
    response = candidate_client.post(reverse("media_pipeline:video_remove", kwargs={"pk": video.pk}), follow=True)
    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    assert Video.objects.filter(pk=video.pk).exists()
    assert not history_list(event_prefix="video.removed").exists()


def test_a_candidate_cannot_remove_evidence_after_the_deadline(candidate_client, candidate):
    """Evidence the focus groups are reading cannot be pulled from under them."""
    evidence = evidence_file(candidate=candidate)
    _close_submissions(candidate.cycle)
    with translation.override("en"), pytest.raises(MediaError, match="it can no longer be removed"):
        evidence_remove(evidence=evidence, acting_user=candidate.user)
    response = candidate_client.post(reverse("media_pipeline:evidence_remove", kwargs={"pk": evidence.pk}),
                                     follow=True)
    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()
    assert evidence.file.storage.exists(evidence.file.name)
    assert not history_list(event_prefix="evidence_file.removed").exists()


def test_adding_videos_or_evidence_after_the_deadline_is_refused(candidate_client, candidate):
    """A new link, upload or file after the deadline is refused with the reason and nothing is saved."""
    _close_submissions(candidate.cycle)
    link = candidate_client.post(reverse("media_pipeline:my_video_add_link"),
                                 {"url": "https://youtu.be/dQw4w9WgXcQ", "title": "late"})
    assert link.status_code == 400 and CLOSED in link.content.decode()
    upload = candidate_client.post(reverse("media_pipeline:my_video_upload_start"),
                                   {"file_name": "late.mp4", "size": 10, "content_type": "video/mp4"})
    assert upload.status_code == 400 and "nothing more can be added" in upload.json()["error"]
    evidence = candidate_client.post(reverse("media_pipeline:my_evidence"),
                                     {"title": "late", "file": SimpleUploadedFile("late.png", PNG)})
    assert evidence.status_code == 400 and CLOSED in evidence.content.decode()
    assert not Video.objects.exists() and not EvidenceFile.objects.exists()


def test_the_pages_offer_no_add_or_remove_after_the_deadline_and_say_why(candidate_client, candidate):
    """The video list, the watch page and the evidence page drop their add forms and remove buttons."""
    video = youtube_link(candidate=candidate)
    evidence = evidence_file(candidate=candidate)
    before = candidate_client.get(reverse("media_pipeline:my_videos")).content.decode()
    assert reverse("media_pipeline:video_remove", kwargs={"pk": video.pk}) in before and CLOSED not in before
    _close_submissions(candidate.cycle)
    pages = {
        reverse("media_pipeline:my_videos"): [reverse("media_pipeline:video_remove", kwargs={"pk": video.pk}),
                                              reverse("media_pipeline:my_video_add_link"),
                                              reverse("media_pipeline:my_video_upload_start")],
        video.get_absolute_url(): [reverse("media_pipeline:video_remove", kwargs={"pk": video.pk})],
        reverse("media_pipeline:my_evidence"): [reverse("media_pipeline:evidence_remove",
                                                        kwargs={"pk": evidence.pk}), 'enctype="multipart/form-data"'],
    }
    for url, gone in pages.items():
        body = candidate_client.get(url).content.decode()
        assert CLOSED in body, url
        assert not [text for text in gone if text in body], url
        assert video.title in body or evidence.title in body, url  # What was submitted is still shown.


def test_office_staff_manage_office_videos_whatever_the_candidates_deadline(client, office, staff_user, cycle):
    """Office videos are not under evaluation: staff add and remove them after the candidates' deadline."""
    video = youtube_link(office=office)
    _close_submissions(cycle)
    client.force_login(staff_user)
    page = client.get(reverse("media_pipeline:office_videos", kwargs={"office_id": office.pk})).content.decode()
    assert CLOSED not in page and reverse("media_pipeline:video_remove", kwargs={"pk": video.pk}) in page
    added = client.post(reverse("media_pipeline:office_video_add_link", kwargs={"office_id": office.pk}),
                        {"url": "https://youtu.be/aaaaaaaaaaa", "title": "本所簡介"})
    assert added.status_code == 302
    assert client.post(reverse("media_pipeline:video_remove", kwargs={"pk": video.pk})).status_code == 302
    assert list(Video.objects.values_list("youtube_id", flat=True)) == ["aaaaaaaaaaa"]
    removal = entry(Video(pk=video.pk), "video.removed")
    assert (removal.actor, removal.additional_data["office"]) == (staff_user, office.pk)


def test_the_back_office_offers_no_delete_for_what_is_under_evaluation(client, candidate, office):
    """After the deadline the admin refuses to delete a candidate's video or evidence, not an office's video."""
    video, evidence, office_video = (youtube_link(candidate=candidate), evidence_file(candidate=candidate),
                                     youtube_link(office=office))
    _close_submissions(candidate.cycle)
    admin_user = make_user(superuser=True)
    client.force_login(admin_user)
    for url_name, row in (("admin:media_pipeline_video_delete", video),
                          ("admin:media_pipeline_evidencefile_delete", evidence)):
        assert client.post(reverse(url_name, args=[row.pk]), {"post": "yes"}).status_code == 403
    response = client.post(reverse("admin:media_pipeline_video_delete", args=[office_video.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert list(Video.objects.all()) == [video] and EvidenceFile.objects.filter(pk=evidence.pk).exists()
    assert entry(Video(pk=office_video.pk), "video.removed").actor == admin_user
