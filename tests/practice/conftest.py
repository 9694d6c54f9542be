"""Two offices with their staff, candidates of the current cycle, and questions made through the services."""
import pytest

from accounts.roles import Role
from practice.models import Category
from practice.services.bank import practical_task_create, question_create
from tests.factories import CandidateFactory, LandOfficeFactory, make_user


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep each test's stored files in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def other_office(db):
    return LandOfficeFactory()


@pytest.fixture
def staff_user(office):
    return make_user(Role.OFFICE_STAFF, office=office)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    # Messages are asserted in English, the catalogue's source language.
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def candidate(cycle):
    """A candidate of the current cycle with a signed-up account."""
    return CandidateFactory(cycle=cycle, user=make_user(Role.CANDIDATE))


@pytest.fixture
def candidate_client(client, candidate):
    client.force_login(candidate.user)
    client.cookies["django_language"] = "en"
    return client


def make_question(office, text="數值區土地複丈之界址點坐標以何者為準？", *, right=(0,), choices=None,
                  category=Category.CADASTRAL_SURVEY, explanation="依地籍測量實施規則。", published=True):
    """Add a question through the service; `right` are the indexes of the right choices."""
    choices = choices or ["地籍圖上量取", "坐標成果", "現況圍牆", "鄰地協議"]
    return question_create(office=office, category=category, text=text, explanation=explanation,
                           choices=[(choice, index in right) for index, choice in enumerate(choices)],
                           is_published=published, acting_user=None)


def make_task(office, title="閉合導線計算", *, published=True, attachment=None):
    return practical_task_create(office=office, category=Category.TRAVERSE_LEVELLING, title=title,
                       instructions="依附檔觀測值計算各點坐標。", good_answer="閉合差與改正數。",
                       attachment=attachment, is_published=published, acting_user=None)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run `transaction.on_commit` work at the end of a block, as a real commit would."""
    return django_capture_on_commit_callbacks
