"""What the focus-group services share: their error, the phase gate, the state gate and the version check."""
from django.utils import formats
from django.utils.translation import gettext as _

from placement.models import Phase
from placement.phases import cycle_phase

from ..models import FocusGroup

# The phases in which a focus group may still change anything; from the focus-group deadline on it is read-only.
GROUP_PHASES = frozenset({Phase.OFFICE_PROFILES, Phase.CANDIDATE_SUBMISSIONS, Phase.FOCUS_GROUPS})


class FocusGroupError(Exception):
    """A change to a focus group that cannot be made; the message says why, and nothing is saved."""


def require_group_phase(group: FocusGroup) -> None:
    """Refuse any change once the cycle's focus-group deadline has passed."""
    if cycle_phase(group.cycle) not in GROUP_PHASES:
        deadline = group.cycle.focus_groups_until
        raise FocusGroupError(_("The focus-group deadline (%(deadline)s) has passed: the group can no longer change.")
                              % {"deadline": formats.date_format(deadline, "SHORT_DATETIME_FORMAT") if deadline
                                 else "–"})


def require_state(group: FocusGroup, states, message: str) -> None:
    if group.state not in states:
        raise FocusGroupError(message)


def require_not_finalised(group: FocusGroup) -> None:
    require_state(group, {FocusGroup.State.SETUP, FocusGroup.State.SCORING, FocusGroup.State.CLOSED},
                  _("The focus group is finalised: its results are read-only."))


def require_version(group: FocusGroup, version: int | None) -> None:
    """Refuse a change posted from a page read before someone else changed the group (a second tab, say)."""
    if version is not None and version != group.version:
        raise FocusGroupError(_("The focus group changed since this page was opened (for example in another tab). "
                                "Reload the page and make the change again."))


def group_touch(group: FocusGroup, *fields: str) -> None:
    """Save the given fields and raise the group's version, so pages read before this change are refused."""
    group.version += 1
    group.save(update_fields=[*fields, "version"])
