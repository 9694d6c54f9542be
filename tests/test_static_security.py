"""bandit finds nothing in our code; every accepted finding is marked `# nosec <test>` beside a reason."""
import json
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
EXCLUDED = ",".join(str(ROOT / folder) for folder in (".venv", "tests", "bench", "staticfiles", "media", ".test-media"))


def _bandit(*targets: str) -> dict:
    result = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-m", "bandit", "-q", "-r", *targets, "-x", EXCLUDED, "-f", "json"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    return json.loads(result.stdout)


def test_bandit_reports_nothing_in_the_project():
    report = _bandit(str(ROOT))
    findings = [f"{issue['filename']}:{issue['line_number']} {issue['test_id']} {issue['issue_text']}"
                for issue in report["results"]]
    assert findings == []
    assert report["metrics"]["_totals"]["loc"] > 10_000  # The project's code was scanned, not an empty folder.


def test_bandit_catches_what_it_is_there_to_catch(tmp_path):
    """The same run reports a shell command built from input and SQL built by formatting."""
    planted = tmp_path / "planted.py"
    planted.write_text(
        "import subprocess\n"
        "def run(name):\n"
        "    subprocess.call('ls ' + name, shell=True)\n"
        "def query(cursor, name):\n"
        "    cursor.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n",
        encoding="utf-8",
    )
    found = {issue["test_id"] for issue in _bandit(str(tmp_path))["results"]}
    assert {"B602", "B608"} <= found


def test_every_accepted_finding_says_why():
    """A `# nosec` names its bandit test and has a reason that mentions bandit in the comment just above it or in
    the module's docstring."""
    unexplained = []
    for path in ROOT.rglob("*.py"):
        if any(part in {".venv", "tests", "bench"} for part in path.relative_to(ROOT).parts):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if "# nosec" not in line:
                continue
            assert re.search(r"# nosec B\d{3}", line), f"{path}:{number + 1}: name the bandit test"
            # A multi-line SQL string carries its nosec on its closing line, so the reason may sit well above.
            reason = "\n".join(lines[:8] + lines[max(0, number - 25):number])
            if "bandit" not in reason.lower():
                unexplained.append(f"{path.relative_to(ROOT)}:{number + 1}")
    assert unexplained == []
