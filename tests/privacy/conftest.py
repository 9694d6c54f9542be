"""A published cycle whose first candidate holds data in every app, and a second candidate who holds some too."""
import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.roles import Role
from core import clock
from focusgroups.models import CandidateQuestion, FocusGroup, QuestionReply
from media_pipeline.models import EvidenceFile, Video
from placement.services.publications import publication_create
from portfolios.models import Portfolio
from practice.models import PracticeAttempt
from tests.factories import make_user
from tests.placement.conftest import CycleWorld


def give_data(candidate, *, tag: str, office) -> dict:
    """Give a candidate a video with stored files, an evidence file, a portfolio, practice and a question."""
    now = clock.now()
    names = {
        "video": default_storage.save(f"videos/{tag}.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42" + tag.encode())),
        "thumbnail": default_storage.save(f"thumbnails/{tag}.jpg", ContentFile(b"\xff\xd8\xff" + tag.encode())),
        "evidence": default_storage.save(f"evidence/{tag}.png", ContentFile(b"\x89PNG\r\n\x1a\n" + tag.encode())),
    }
    Video.objects.create(candidate=candidate, kind=Video.Kind.UPLOAD, state=Video.State.READY,
                         title=f"Video of {tag}", file=names["video"], thumbnail=names["thumbnail"],
                         original_name=f"{tag}.mp4", content_type="video/mp4", size_bytes=20,
                         state_changed_at=now)
    EvidenceFile.objects.create(candidate=candidate, title=f"Evidence of {tag}", file=names["evidence"],
                                original_name=f"{tag}.png", content_type="image/png", size_bytes=12)
    Portfolio.objects.create(candidate=candidate, summary=f"Portfolio summary of {tag}", updated_at=now)
    PracticeAttempt.objects.create(candidate=candidate, office=office, started_at=now, submitted_at=now, score=3,
                                   question_count=5, answers=[{"text": f"Practice answer of {tag}"}])
    group, _created = FocusGroup.objects.get_or_create(
        office=office, cycle=candidate.cycle,
        defaults={"leader": make_user(Role.FOCUS_GROUP_LEADER, office=office), "created_at": now})
    question = CandidateQuestion.objects.create(group=group, candidate=candidate, asked_by=group.leader,
                                                text=f"Question to {tag}", reply_due_at=now + timedelta(days=3),
                                                created_at=now)
    if candidate.user:
        QuestionReply.objects.create(question=question, author=candidate.user, text=f"Reply of {tag}",
                                     created_at=now)
    return names


class PublishedWorld:
    """The placement world, published, with users for two candidates and data for both."""

    def __init__(self, world, capture):
        self.world = world
        self.cycle = world.cycle
        self.first, self.second = world.candidates[0], world.candidates[1]
        for candidate in (self.first, self.second):
            candidate.user = make_user(Role.CANDIDATE)
            candidate.save(update_fields=["user"])
        self.first_files = give_data(self.first, tag="alpha", office=world.offices[0])
        self.second_files = give_data(self.second, tag="bravo", office=world.offices[0])
        world.close_preferences()
        run = world.run(capture=capture)
        with capture(execute=True):
            self.publication = publication_create(run=run)
        self.cycle.report_by = clock.now() + timedelta(days=14)
        self.cycle.save(update_fields=["report_by"])

    def close(self):
        """Move the report-by time into the past, which closes the cycle."""
        self.cycle.report_by = clock.now() - timedelta(minutes=1)
        self.cycle.save(update_fields=["report_by"])


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep each test's stored files in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def published(cycle, django_capture_on_commit_callbacks):
    return PublishedWorld(CycleWorld(cycle), django_capture_on_commit_callbacks)


def open_archive(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def staff():
    """Examination staff reading the site in English."""
    return make_user(Role.EXAM_STAFF)
