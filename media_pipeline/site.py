"""The video and evidence pages' part of the access table and the main menu."""
from django.utils.translation import gettext_lazy as _

from accounts.access import CANDIDATE, EXAM_STAFF, LEADER, MEMBER, OFFICE_STAFF, SIGNED_IN
from core.registry import NavigationEntry, PersonalDataContributor

from . import personal_data

# Which candidate's or office's items a user reaches is scoped in media_pipeline/access.py: candidates manage their
# own, office staff their offices'; watching is wider.
ACCESS = {
    "media_pipeline:my_videos": frozenset({CANDIDATE}),
    "media_pipeline:my_video_add_link": frozenset({CANDIDATE}),
    "media_pipeline:my_video_upload_start": frozenset({CANDIDATE}),
    "media_pipeline:our_videos": frozenset({OFFICE_STAFF}),
    "media_pipeline:office_videos": frozenset({OFFICE_STAFF}),
    "media_pipeline:office_video_add_link": frozenset({OFFICE_STAFF}),
    "media_pipeline:office_video_upload_start": frozenset({OFFICE_STAFF}),
    "media_pipeline:video_detail": frozenset({SIGNED_IN}),
    "media_pipeline:video_remove": frozenset({CANDIDATE, OFFICE_STAFF}),
    "media_pipeline:video_publish": frozenset({CANDIDATE}),
    "media_pipeline:video_recheck": frozenset({CANDIDATE, OFFICE_STAFF}),
    "media_pipeline:video_upload_local": frozenset({CANDIDATE, OFFICE_STAFF}),
    "media_pipeline:video_upload_finish": frozenset({CANDIDATE, OFFICE_STAFF}),
    "media_pipeline:video_file": frozenset({SIGNED_IN}),
    "media_pipeline:video_thumbnail": frozenset({SIGNED_IN}),
    "media_pipeline:my_evidence": frozenset({CANDIDATE}),
    "media_pipeline:evidence_file": frozenset({CANDIDATE, EXAM_STAFF, LEADER, MEMBER}),
    "media_pipeline:evidence_remove": frozenset({CANDIDATE}),
    "media_pipeline:evidence_attach": frozenset({CANDIDATE}),
}


# A candidate's videos and evidence files, exported and erased for the privacy app.
PERSONAL_DATA = [
    PersonalDataContributor(
        key="media_pipeline",
        models=("media_pipeline.Video", "media_pipeline.EvidenceFile"),
        export=personal_data.candidate_export,
        erase=personal_data.candidate_erase,
    ),
]

NAVIGATION = [
    NavigationEntry("media_pipeline:my_videos", _("My videos"), position=20),
    NavigationEntry("media_pipeline:our_videos", _("Our videos"), position=30),
]
