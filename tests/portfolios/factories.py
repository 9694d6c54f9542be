"""Portfolio rows made through the services, so each is what a candidate's own action leaves."""
from media_pipeline.models import Video
from placement.models import Vacancy
from placement.services.preferences import preference_list_save
from portfolios.services import Step, video_description_save
from tests.media_pipeline.factories import youtube_link


def ranking(candidate, *offices):
    """Give a candidate a preference list naming these offices (each with a vacancy in the cycle)."""
    for office in offices:
        Vacancy.objects.get_or_create(cycle=candidate.cycle, office=office, defaults={"seats": 2})
    preference_list_save(candidate=candidate, office_ids=[office.pk for office in offices])


def video(candidate, *, youtube_id="dQw4w9WgXcQ", title="經緯儀整置", duration=None) -> Video:
    """Add a YouTube link (kept as not verified, which focus groups can watch), with a duration if given."""
    added = youtube_link(candidate=candidate, youtube_id=youtube_id, title=title)
    if duration is not None:
        # The duration comes from YouTube's answer, which these tests do not need.
        Video.objects.filter(pk=added.pk).update(duration_seconds=duration)
        added.refresh_from_db()
    return added


def described(added: Video, *steps: str, terrain="mountain"):
    """Describe a video through the service, one step per text, each at ten seconds more than the last."""
    return video_description_save(
        video=added, terrain=terrain, instrument_make="Topcon", instrument_model="GT-1200", weather="晴",
        visibility="良好", shows="導線測量", acting_user=added.candidate.user,
        steps=[Step(text=text, at_seconds=10 * number) for number, text in enumerate(steps, start=1)])

