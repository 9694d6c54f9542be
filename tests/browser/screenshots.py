"""Screenshots of the browser journeys: kept by every run of the whole-cycle journey, and the README's copies."""
import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = ROOT / "docs" / "screenshots"
# The README shows these pages of the whole-cycle journey in Traditional Chinese, the site's default language.
README_JOURNEY_SHOTS = {"zh-hant": {"candidates-imported", "preferences", "focus-group-scoring", "run-comparison",
                                    "placement-result"}}


def artifacts_dir() -> Path:
    """Return where test runs keep what people look at afterwards: TEST_ARTIFACTS_DIR, else ./test-artifacts."""
    return Path(os.environ.get("TEST_ARTIFACTS_DIR") or ROOT / "test-artifacts")


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot as docs/screenshots/<name>.png when SCREENSHOTS=1."""
    # Only a deliberate run refreshes the committed images, so the suite never changes the working tree.
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


def journey_screenshot(page, language: str, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/journeys/<language>/ and, when SCREENSHOTS=1 and the README
    shows it, under docs/screenshots/journey-<language>-<page>.png."""
    folder = artifacts_dir() / "journeys" / language
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page_name = name.split("-", 1)[1]
    if os.environ.get("SCREENSHOTS") == "1" and page_name in README_JOURNEY_SHOTS.get(language, ()):
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SCREENSHOT_DIR / f"journey-{language}-{page_name}.png")
    return path
