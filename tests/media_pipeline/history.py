"""The audit history the media services write, read back in the shape the tests compare."""
from core.audit import LogEntry, event_name, history_for


def events(subject) -> list[tuple[str, object, dict]]:
    """Return a subject's history, oldest first, as (event name, actor, changes).

    A removed row has lost its id; pass an unsaved instance with the old id, such as Video(pk=pk).
    """
    return [(event_name(entry), entry.actor, entry.changes) for entry in list(history_for(subject))[::-1]]


def entry(subject, event: str) -> LogEntry:
    """Return the one entry named `event` in a subject's history."""
    [found] = [item for item in history_for(subject) if event_name(item) == event]
    return found
