"""The one clock that deadline logic reads, so tests can move time without patching code under test."""
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone

_frozen_at: datetime | None = None


def now() -> datetime:
    """Return the current time, or the frozen time inside `frozen_at`."""
    return _frozen_at if _frozen_at is not None else timezone.now()


@contextmanager
def frozen_at(moment: datetime):
    """Make `now()` return `moment` until the block ends."""
    global _frozen_at
    previous, _frozen_at = _frozen_at, moment
    try:
        yield
    finally:
        _frozen_at = previous
