"""Screenshots of the browser journeys for the README, taken only when asked for."""
import os
from pathlib import Path

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot as docs/screenshots/<name>.png when SCREENSHOTS=1."""
    # Only a deliberate run refreshes the committed images, so the suite never changes the working tree.
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)
