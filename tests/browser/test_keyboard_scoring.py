"""A focus group member notes a video moment and scores a criterion with the keyboard alone: key presses, no clicks."""
import re

import pytest
from playwright.sync_api import expect

from focusgroups.models import Rating, VideoNote
from tests.security.conftest import build_world

pytestmark = pytest.mark.django_db(transaction=True)

# More Tab presses than the scoring page has stops; reaching none of the wanted ones fails the test.
MAX_TABS = 150


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.YOUTUBE_API_KEY = ""


def _tab_until(page, check) -> None:
    """Press Tab until `check()` is true; fail when the page runs out of stops first."""
    for _press in range(MAX_TABS):
        page.keyboard.press("Tab")
        if check():
            return
    raise AssertionError("Tab never reached the wanted control")


def _focused(page, selector: str):
    return lambda: page.evaluate("selector => document.activeElement.matches(selector)", selector)


def test_a_member_notes_and_scores_with_the_keyboard_alone(live_server, page, browser_session, youtube_player,
                                                            django_capture_on_commit_callbacks):
    """Tab to the player, play it, note the current time, save with Enter; pick a level with the arrow keys."""
    world = build_world(django_capture_on_commit_callbacks)
    world.phase_focus_groups()
    group, candidate, member = world.a.objects["group"], world.a.candidate, world.a.member
    video = world.a.objects["candidate_video"]
    browser_session(page, member, language="en")
    page.goto(f"{live_server.url}/focus-groups/{group.pk}/candidates/{candidate.pk}/")
    player = page.frame_locator(f"#player-{video.pk}")
    expect(player.locator("#listener")).to_have_text("listening")

    # The player's own Play button is a Tab stop inside its frame; Enter starts it.
    frame = page.frame(url=re.compile(r"/embed/"))
    _tab_until(page, lambda: frame.evaluate("document.activeElement.id") == "play")
    page.keyboard.press("Enter")
    expect(player.locator("#state")).to_have_text("playing")
    page.wait_for_timeout(1600)

    # "Note at the current time" takes the player's time and moves the focus to the note's text.
    _tab_until(page, _focused(page, f"[data-note-now='{video.pk}']"))
    page.keyboard.press("Enter")
    note_field = page.get_by_label("Note", exact=True)
    expect(note_field).to_be_focused()
    noted = int(page.get_by_label("Time in the video (seconds)").input_value())
    assert noted >= 1, "the note's time came from the playing player"
    page.keyboard.type("Keyboard only note")
    page.keyboard.press("Enter")
    expect(page.get_by_text("The note is saved.")).to_be_visible()
    assert VideoNote.objects.filter(rater=member, candidate=candidate, video=video, text="Keyboard only note",
                                    at_seconds=noted).exists()

    # Tab reaches the first criterion's levels; the arrow key picks the next level and the draft saves itself.
    first = page.locator("#rubric-form fieldset[data-criterion]").first
    criterion_id = int(first.get_attribute("data-criterion"))
    _tab_until(page, _focused(page, f"input[name='c{criterion_id}-score']"))
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    expect(first.get_by_role("radio", name=re.compile(r"^2\b"))).to_be_checked()
    expect(page.locator("#save-status")).to_contain_text("Draft saved at")
    assert Rating.objects.get(rater=member, candidate=candidate, criterion_id=criterion_id).score == 2
