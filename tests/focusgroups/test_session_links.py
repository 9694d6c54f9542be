"""A session's meeting link is a web address, whoever saves it: members open it from the group's pages."""
import pytest

from core import clock
from focusgroups.models import Session
from focusgroups.services import groups as group_services
from focusgroups.services.shared import FocusGroupError


@pytest.mark.parametrize("link", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>x</script>",
                                  "meet.example.org/fg"])
def test_a_meeting_link_that_is_not_a_web_address_is_refused_by_the_service_too(fg_group, fg_leader, link):
    """The form refuses such links; the service does as well, so no other caller can store one."""
    with pytest.raises(FocusGroupError, match="https://"):
        group_services.session_save(group=fg_group, session=None, starts_at=clock.now(), duration_minutes=60,
                                    meeting_url=link, agenda="", acting_user=fg_leader)
    assert not Session.objects.exists()


def test_a_web_address_is_kept(fg_group, fg_leader):
    session = group_services.session_save(group=fg_group, session=None, starts_at=clock.now(), duration_minutes=60,
                                          meeting_url=" https://meet.example.org/fg ", agenda="", acting_user=fg_leader)
    assert session.meeting_url == "https://meet.example.org/fg"
