"""Removing a video or an evidence file asks first, on a page of its own that works without JavaScript.

The remove link opens a page that says what goes with the item and that it cannot be undone; only the form on
that page removes it. Another owner's item answers 404 on both.
"""
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.roles import Role
from core import clock
from media_pipeline.models import EvidenceFile, Video
from tests.factories import CandidateFactory, make_user
from tests.media_pipeline.factories import evidence_file, upload_started, youtube_link

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_and_no_youtube_key(settings, client):
    settings.YOUTUBE_API_KEY = ""
    client.cookies["django_language"] = "en"


def _remove_url(video):
    return reverse("media_pipeline:video_remove", kwargs={"pk": video.pk})


def _evidence_remove_url(item):
    return reverse("media_pipeline:evidence_remove", kwargs={"pk": item.pk})


def test_the_video_list_and_page_link_to_the_question_rather_than_remove(candidate_client, candidate):
    """No form on the list or the watch page posts to the remove address; each links to the question."""
    video = youtube_link(candidate=candidate, title="經緯儀整置")
    for page in (reverse("media_pipeline:my_videos"), video.get_absolute_url()):
        body = candidate_client.get(page).content.decode()
        assert f'action="{_remove_url(video)}"' not in body, page
        assert f'href="{_remove_url(video)}' in body, page


def test_opening_the_video_question_says_what_goes_and_removes_nothing(candidate_client, candidate):
    """The page names the video and what is deleted with it, and the video stays until the form is sent."""
    video = youtube_link(candidate=candidate, title="經緯儀整置")
    evidence = evidence_file(candidate=candidate)
    EvidenceFile.objects.filter(pk=evidence.pk).update(video=video)
    response = candidate_client.get(_remove_url(video))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Remove video “經緯儀整置”?" in body
    assert "its description" in body and "the notes the focus groups wrote about it" in body
    assert "The focus groups can no longer see it." in body
    assert "The evidence file attached to it is kept" in body
    assert "This cannot be undone." in body
    assert f'<form method="post" action="{_remove_url(video)}">' in body
    assert f'href="{reverse("media_pipeline:my_videos")}" class="button secondary">Cancel' in body
    assert Video.objects.filter(pk=video.pk).exists()


def test_cancelling_from_the_watch_page_returns_to_it(candidate_client, candidate):
    video = youtube_link(candidate=candidate)
    body = candidate_client.get(_remove_url(video) + "?from=video").content.decode()
    assert f'href="{video.get_absolute_url()}" class="button secondary">Cancel' in body


def test_an_uploaded_video_names_its_stored_file_and_thumbnail(client, office, staff_user):
    """An office's upload: the stored file and thumbnail go; candidates no longer see it on the office's page."""
    video = upload_started(office=office, title="所內介紹", state=Video.State.READY)
    Video.objects.filter(pk=video.pk).update(thumbnail=f"videos/{video.pk}/thumbnail.jpg")
    client.force_login(staff_user)
    body = client.get(_remove_url(video)).content.decode()
    assert "the stored video file" in body and "its thumbnail" in body
    assert "Candidates can no longer see it on the office's page." in body
    assert f'href="{reverse("media_pipeline:office_videos", kwargs={"office_id": office.pk})}"' in body
    assert Video.objects.filter(pk=video.pk).exists()


def test_sending_the_form_on_the_question_removes_the_video(candidate_client, candidate):
    video = youtube_link(candidate=candidate)
    response = candidate_client.post(_remove_url(video))
    assert response.status_code == 302 and response["Location"] == reverse("media_pipeline:my_videos")
    assert not Video.objects.filter(pk=video.pk).exists()


def test_another_candidates_video_answers_404_to_the_question_and_the_removal(client, candidate, cycle):
    video = youtube_link(candidate=candidate)
    client.force_login(CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE)).user)
    assert client.get(_remove_url(video)).status_code == 404
    assert client.post(_remove_url(video)).status_code == 404
    assert Video.objects.filter(pk=video.pk).exists()


def test_after_the_deadline_the_question_is_not_asked(candidate_client, candidate):
    """Once submissions close, the question page sends the candidate back with the reason instead."""
    video = youtube_link(candidate=candidate)
    evidence = evidence_file(candidate=candidate)
    candidate.cycle.submissions_until = clock.now() - timedelta(hours=1)
    candidate.cycle.save(update_fields=["submissions_until"])
    for url, back in ((_remove_url(video), reverse("media_pipeline:my_videos")),
                      (_evidence_remove_url(evidence), reverse("media_pipeline:my_evidence"))):
        response = candidate_client.get(url, follow=True)
        assert response.redirect_chain[-1][0] == back
        assert "it can no longer be removed" in response.content.decode()
    assert Video.objects.exists() and EvidenceFile.objects.exists()


def test_the_evidence_list_links_to_the_question_rather_than_remove(candidate_client, candidate):
    item = evidence_file(candidate=candidate)
    body = candidate_client.get(reverse("media_pipeline:my_evidence")).content.decode()
    assert f'action="{_evidence_remove_url(item)}"' not in body
    assert f'href="{_evidence_remove_url(item)}"' in body


def test_opening_the_evidence_question_says_what_goes_and_removes_nothing(candidate_client, candidate):
    item = evidence_file(candidate=candidate, title="測站照片", name="station.png")
    response = candidate_client.get(_evidence_remove_url(item))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Remove evidence file “測站照片”?" in body and "station.png" in body
    assert "deletes the stored file" in body and "The focus groups can no longer see it" in body
    assert "This cannot be undone." in body
    assert f'<form method="post" action="{_evidence_remove_url(item)}">' in body
    assert f'href="{reverse("media_pipeline:my_evidence")}" class="button secondary">Cancel' in body
    assert EvidenceFile.objects.filter(pk=item.pk).exists()


def test_sending_the_form_on_the_evidence_question_removes_the_file(candidate_client, candidate):
    item = evidence_file(candidate=candidate)
    response = candidate_client.post(_evidence_remove_url(item))
    assert response.status_code == 302
    assert not EvidenceFile.objects.filter(pk=item.pk).exists()


def test_another_candidates_evidence_answers_404_to_the_question(client, candidate, cycle):
    item = evidence_file(candidate=candidate)
    client.force_login(CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE)).user)
    assert client.get(_evidence_remove_url(item)).status_code == 404
    assert client.post(_evidence_remove_url(item)).status_code == 404
    assert EvidenceFile.objects.filter(pk=item.pk).exists()
