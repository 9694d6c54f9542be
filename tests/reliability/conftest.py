"""The fixtures the reliability scenarios borrow from the apps' own suites."""
from tests.focusgroups.conftest import (  # noqa: F401 - fixtures, found by name.
    fg_candidate,
    fg_cycle,
    fg_group,
    fg_leader,
    fg_member,
    fg_office,
    make_fg_candidate,
)
from tests.media_pipeline.conftest import candidate, candidate_client, clips, media_root, on_commit  # noqa: F401
from tests.media_pipeline.test_youtube_publish import google, google_token, ready_video  # noqa: F401
from tests.placement.conftest import world  # noqa: F401
