"""What the privacy app itself holds about a candidate: their archives, and the record of an erasure.

Erasing deletes the archives with their files; the erasure record is kept, as the proof that the erasure was done.
"""
from core.registry import PersonalData

from .models import DataExport


def candidate_export(candidate) -> PersonalData:
    """Return when the candidate asked for copies of their data."""
    exports = DataExport.objects.filter(candidate=candidate).order_by("pk")
    return PersonalData(data={"data_exports": [{"requested_at": export.requested_at, "state": export.state}
                                               for export in exports]})


def candidate_erase(candidate) -> list[str]:
    """Delete the candidate's archives and return their stored files' names."""
    exports = DataExport.objects.filter(candidate=candidate)
    names = [name for name in exports.values_list("file", flat=True) if name]
    exports.delete()
    return names
