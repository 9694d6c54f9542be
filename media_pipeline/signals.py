"""Signals other apps listen to; the focus groups use `video_unavailable` to flag evaluations that relied on it."""
from django.dispatch import Signal

# Sent after commit when a verified YouTube video is later found deleted, private or no longer embeddable.
# Arguments: video.
video_unavailable = Signal()
