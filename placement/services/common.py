"""What every placement service shares: the error users read and the phase gate."""
from dataclasses import dataclass

from ..phases import cycle_in_phase


class PlacementError(Exception):
    """A placement action that cannot be done now; the message tells the user why and changes nothing."""


def require_phase(cycle, allowed, message: str) -> None:
    """Raise PlacementError with the message unless the cycle is now in one of the allowed phases."""
    if not cycle_in_phase(cycle, allowed):
        raise PlacementError(message)


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int
    invited: int = 0
