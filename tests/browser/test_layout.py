"""The shell holds its shape: one menu row at desktop width, nothing wider than a phone, long words wrapped."""
import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.factories import CandidateFactory, make_user
from tests.media_pipeline.factories import youtube_link

pytestmark = pytest.mark.django_db(transaction=True)


def _width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def _rows(page, selector: str) -> int:
    """Return how many lines the children of an element are laid out on (children share a line when their
    vertical middles are within 10 px)."""
    return page.evaluate("""(selector) => {
        const middles = Array.from(document.querySelector(selector).children).map((child) => {
            const box = child.getBoundingClientRect();
            return (box.top + box.bottom) / 2;
        }).sort((a, b) => a - b);
        return middles.filter((middle, i) => i === 0 || middle - middles[i - 1] > 10).length;
    }""", selector)


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_the_whole_menu_of_examination_staff_fits_one_row_at_1280_px(live_server, page, browser_session,
                                                                      cycle, language):
    page.set_viewport_size({"width": 1280, "height": 800})
    browser_session(page, make_user(Role.EXAM_STAFF), language=language)
    page.goto(f"{live_server.url}/dashboard/")
    assert _rows(page, ".nav") == 1
    assert _rows(page, ".header-row") == 1
    assert _width(page) == 1280


def test_a_phone_sees_no_sideways_scrolling_and_the_heading_clears_the_header(live_server, page, browser_session,
                                                                            cycle):
    page.set_viewport_size({"width": 390, "height": 800})
    browser_session(page, make_user(Role.EXAM_STAFF), language="zh-hant")
    page.goto(f"{live_server.url}/dashboard/")
    assert _width(page) == 390
    gap = page.evaluate("""() => document.querySelector("main h1").getBoundingClientRect().top
        - document.querySelector(".site-header").getBoundingClientRect().bottom""")
    assert gap >= 24


def test_a_title_without_spaces_wraps_instead_of_widening_the_page(live_server, page, browser_session, cycle):
    """A 200-character title with no spaces once widened the video page to 2738 px."""
    candidate = CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE))
    video = youtube_link(candidate=candidate, title="測" * 40 + "W" * 160)
    page.set_viewport_size({"width": 1280, "height": 800})
    browser_session(page, candidate.user, language="zh-hant")
    page.goto(f"{live_server.url}/videos/{video.pk}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("測測")
    assert _width(page) == 1280


def test_a_table_wider_than_a_phone_scrolls_with_the_keyboard_and_a_narrow_one_adds_no_tab_stop(
        live_server, page, browser_session, cycle):
    """On a phone the candidate table overflows its box: the box takes the focus under the table's name and the
    arrow keys scroll it. At desktop width the same box does not overflow and stays out of the Tab order."""
    for rank in range(1, 4):
        CandidateFactory(cycle=cycle, exam_rank=rank)
    browser_session(page, make_user(Role.EXAM_STAFF), language="en")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/candidates/")
    box = page.get_by_role("region", name="Candidates")
    box.focus()
    expect(box).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/candidates/")
    assert page.locator(".table-scroll[tabindex]").count() == 0
