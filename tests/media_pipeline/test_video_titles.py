"""A video's title holds at most 200 characters: the forms say so, and a longer one is refused with the reason."""
import pytest
from django.urls import reverse

from media_pipeline.models import Video

pytestmark = pytest.mark.django_db

TOO_LONG = "A title can have at most 200 characters; this one has 201. Shorten it."


@pytest.fixture(autouse=True)
def _english_and_no_youtube_key(settings, client):
    settings.YOUTUBE_API_KEY = ""
    client.cookies["django_language"] = "en"


def test_both_title_fields_show_the_limit(candidate_client):
    body = candidate_client.get(reverse("media_pipeline:my_videos")).content.decode()
    assert body.count('maxlength="200"') == 2
    assert '<input id="upload-title" name="title" maxlength="200">' in body


def test_a_link_titled_with_201_characters_is_refused_with_the_reason(candidate_client):
    response = candidate_client.post(reverse("media_pipeline:my_video_add_link"),
                                     {"url": "https://youtu.be/dQw4w9WgXcQ", "title": "測" * 201})
    assert response.status_code == 400
    assert TOO_LONG in response.content.decode()
    assert not Video.objects.exists()


def test_a_link_titled_with_200_characters_is_kept_whole(candidate_client):
    candidate_client.post(reverse("media_pipeline:my_video_add_link"),
                          {"url": "https://youtu.be/dQw4w9WgXcQ", "title": "測" * 200})
    assert Video.objects.get().title == "測" * 200


def test_an_upload_titled_with_201_characters_is_refused_with_the_reason(candidate_client):
    response = candidate_client.post(reverse("media_pipeline:my_video_upload_start"), {
        "title": "測" * 201, "file_name": "clip.mp4", "size": 10, "content_type": "video/mp4"})
    assert response.status_code == 400
    assert response.json() == {"error": TOO_LONG}
    assert not Video.objects.exists()


def test_an_untitled_upload_with_a_long_file_name_gets_a_title_that_fits(candidate_client):
    """Without a title the file's name stands in, cut to the 200 characters a title holds."""
    name = "測" * 250 + ".mp4"
    response = candidate_client.post(reverse("media_pipeline:my_video_upload_start"), {
        "title": "", "file_name": name, "size": 10, "content_type": "video/mp4"})
    assert response.status_code == 200
    assert Video.objects.get().title == name[:200]
