"""Show that each proof suite fails when the protection it proves is taken out (issue #13).

    python scripts/protection_check.py [--tree PATH] [--only NAME] [--list]

Each mutation below removes one protection with one exact text replacement in one file. For each, the named tests
are run unchanged (they must pass: otherwise "baseline broken"), then with the replacement applied (they must fail:
"caught"; passing is "NOT CAUGHT"), and the file is restored. The work happens in a git worktree: `--tree PATH`,
or by default a fresh detached worktree of HEAD in a temporary folder, removed afterwards, so the checkout the
script is run from is never touched. The worktree borrows the main checkout's `.venv` through a symlink.

The tests run on SQLite with eager tasks unless DATABASE_URL / REDIS_URL are set, which are passed through. Exit 1
when any mutation is not caught, 2 when a mutation no longer applies (its text is not found exactly once).
"""
from __future__ import annotations

# subprocess runs git and the tests with fixed argument lists and no shell (bandit B404/B603 accepted, marked nosec).
import argparse
import os
import re
import shutil
import subprocess  # nosec B404
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIT = shutil.which("git") or "git"


@dataclass(frozen=True)
class Mutation:
    protection: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


WALK = "tests/security/test_cross_tenant_walk.py::test_no_principal_reaches_or_changes_the_other_tenants_objects"
SESSIONS = "tests/security/test_sessions_and_mfa.py"
LOGIN = "tests/accounts/test_login_and_mfa.py"
SETTINGS_TESTS = "tests/test_settings.py"

# Each replacement is the smallest edit that removes the protection while the code still imports and runs, so a
# failing test fails because the protection is gone and not because the program broke.
MUTATIONS = (
    Mutation(
        "cross-tenant scoping: a candidate reaches only their own candidacies",
        "placement/access.py",
        "        return Candidate.objects.filter(user=user)\n",
        "        return Candidate.objects.all()\n",
        (f"{WALK}[candidate_1]",),
    ),
    Mutation(
        "mass assignment: a focus group member scores as themselves, not as a posted rater",
        "focusgroups/views.py",
        "saved = rating_services.ratings_save(group=group, candidate=candidate, rater=request.user, ratings=items)",
        "saved = rating_services.ratings_save(group=group, candidate=candidate, ratings=items,\n"
        "                                             rater=request.user.__class__._default_manager.get(\n"
        "                                                 pk=request.POST.get(\"rater\", request.user.pk)))",
        ("tests/security/test_mass_assignment.py"
         "::test_a_focus_group_member_scores_only_as_themselves_and_only_their_roster",),
    ),
    Mutation(
        "session rotation: the session hash covers the user's roles",
        "accounts/models.py",
        'f"{self.password}|{roles}"',
        'f"{self.password}"',
        (f"{SESSIONS}::test_a_staff_role_granted_to_a_signed_in_user_signs_their_sessions_out",
         f"{SESSIONS}::test_a_revoked_role_signs_the_users_sessions_out"),
    ),
    Mutation(
        "MFA: staff without TOTP are sent to enrol before any page",
        "accounts/middleware.py",
        '        return redirect("mfa_activate_totp")\n',
        "        return None\n",
        (f"{LOGIN}::test_staff_without_totp_are_sent_to_enrol_before_any_staff_page",
         f"{SESSIONS}::test_accepting_a_staff_invitation_reaches_nothing_but_totp_enrolment"),
    ),
    Mutation(
        "production counts the load balancer as a trusted proxy (TRUSTED_PROXY_COUNT)",
        "config/settings/production.py",
        'ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)',
        'ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)',
        (f"{SETTINGS_TESTS}::test_production_counts_the_load_balancer_as_a_trusted_proxy",),
    ),
    Mutation(
        "stored XSS: a portfolio summary is escaped",
        "templates/portfolios/_portfolio.html",
        "{{ page.summary|linebreaksbr }}",
        "{{ page.summary|safe|linebreaksbr }}",
        ("tests/security/test_stored_xss.py::test_a_candidates_pages_escape_what_was_stored",),
    ),
    Mutation(
        "export formula injection: risky CSV cells get a leading apostrophe",
        "placement/tabular.py",
        "        return \"'\" + value\n",
        "        return value\n",
        ("tests/security/test_export_formulas.py::test_every_download_keeps_formula_like_text_as_text[@SUM(A1)]",),
    ),
    Mutation(
        "upload content: evidence is accepted by its first bytes, not its name",
        "media_pipeline/services/evidence.py",
        "    sniffed = sniff_evidence(uploaded_file.read(16))\n",
        '    sniffed = sniff_evidence(uploaded_file.read(16)) or ("application/pdf", "pdf")\n',
        ("tests/security/test_upload_abuse.py::test_an_executable_or_a_page_named_like_evidence_is_refused"
         "[photo.png-<!doctype html><script>alert(1)</script>]",),
    ),
    Mutation(
        "CSP: no inline script",
        "config/settings/base.py",
        '        "script-src": ["\'self\'"],\n',
        '        "script-src": ["\'self\'", "\'unsafe-inline\'"],\n',
        (f"{SETTINGS_TESTS}::test_production_answers_with_every_security_header",
         "tests/browser/test_security_headers.py::test_an_injected_inline_script_does_not_run_and_is_reported"),
    ),
    Mutation(
        "log redaction: national ID numbers never reach a log line",
        "config/log_filters.py",
        "    text = NATIONAL_ID.sub(REDACTED, text)\n",
        "",
        (f"{SETTINGS_TESTS}::test_production_logs_carry_no_tokens_keys_or_national_id_numbers",),
    ),
    Mutation(
        "reliability: an auto-submitted list's receipt is claimed once",
        "placement/services/preferences.py",
        '.update(receipt_sent_sha256=F("submitted_sha256"))',
        '.update(receipt_sent_sha256="")',
        ("tests/reliability/test_tasks_idempotent.py::test_a_task_run_twice_changes_nothing_the_second_time"
         "[placement.tasks.preference_lists_auto_submitted_notify_task]",),
    ),
    Mutation(
        "keyboard: the focus stays on the preference control that was used",
        "static/js/preferences.js",
        "        if (swapIn(html, action)) { refocus(action, rowIndex); }\n",
        "        swapIn(html, action);\n",
        # Not the scoring page's keyboard test: its player handshake ("listening") fails now and then unchanged.
        ("tests/browser/test_preference_keyboard.py"
         "::test_moving_removing_and_adding_by_keyboard_keeps_the_place_and_the_focus",),
    ),
    Mutation(
        "accessibility: the residence form's fields have labels",
        "templates/placement/preference_edit.html",
        "<p>{{ field.label_tag }}{{ field }}",
        "<p>{{ field }}",
        ("tests/browser/test_accessibility.py::test_key_pages_have_no_serious_accessibility_violations[chromium-en]",),
    ),
    Mutation(
        "personal data: the data archive downloads for its own candidate only",
        "privacy/access.py",
        "DataExport.objects.filter(candidate__in=own_candidacies(user),",
        "DataExport.objects.filter(",
        ("tests/privacy/test_export.py::test_nobody_else_downloads_the_archive[other_candidate]",),
    ),
    Mutation(
        "personal data: opening a candidate's scoring page is recorded on their access log",
        "focusgroups/views.py",
        "def _score_page(request, group, candidate, *, status=200):\n"
        "    candidate_data_view_record(viewer=request.user, candidates=candidate,"
        " what=CandidateDataView.What.SCORING,\n"
        "                               url_name=request.resolver_match.view_name)\n",
        "def _score_page(request, group, candidate, *, status=200):\n",
        ("tests/placement/test_access_log.py"
         "::test_a_member_opening_a_scoring_page_shows_on_the_candidates_access_log",),
    ),
)


@dataclass
class Run:
    passed: int
    failed: int
    other: int
    seconds: float
    output: str


@dataclass
class Result:
    mutation: Mutation
    outcome: str
    seconds: float
    detail: str = ""


def git(*args: str, cwd: Path = ROOT) -> str:
    # A fixed git command line, no shell (bandit B603 accepted).
    result = subprocess.run([GIT, *args], cwd=cwd, capture_output=True, text=True, check=True)  # nosec B603
    return result.stdout.strip()


def main_venv() -> Path:
    """Return the .venv of the main checkout (worktrees share its git folder, and its .venv sits beside it)."""
    common = Path(git("rev-parse", "--path-format=absolute", "--git-common-dir"))
    return common.parent / ".venv"


@contextmanager
def worktree(path: str | None) -> Iterator[Path]:
    """Yield the tree to mutate: the given one, or a fresh detached worktree of HEAD removed afterwards."""
    if path:
        tree = Path(path).resolve()
        if not (tree / "manage.py").exists():
            sys.exit(f"--tree {tree} holds no manage.py: give a worktree of this project")
        yield with_venv(tree)
        return
    scratch = Path(tempfile.mkdtemp(prefix="protection-check-"))
    tree = scratch / "tree"
    git("worktree", "add", "--detach", str(tree), "HEAD")
    try:
        yield with_venv(tree)
    finally:
        git("worktree", "remove", "--force", str(tree))
        shutil.rmtree(scratch, ignore_errors=True)


def with_venv(tree: Path) -> Path:
    venv = tree / ".venv"
    if not venv.exists() and not venv.is_symlink():
        venv.symlink_to(main_venv())
    return tree


def refusals(tree: Path, mutations) -> list[str]:
    """Return why each mutation that no longer applies does not: its old text must occur exactly once."""
    problems = []
    for mutation in mutations:
        file = tree / mutation.path
        count = file.read_text(encoding="utf-8").count(mutation.old) if file.exists() else -1
        if count != 1:
            where = "file is missing" if count < 0 else f"old text found {count} times"
            problems.append(f"{mutation.protection}: {mutation.path}: {where}, expected exactly once")
    return problems


def run_tests(tree: Path, tests: tuple[str, ...]) -> Run:
    # The environment passes through, DATABASE_URL and REDIS_URL with it; the tests read their settings from it.
    # The command is this project's Python and the node ids above, no shell (bandit B603 accepted).
    command = [str(tree / ".venv" / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *tests]
    started = time.monotonic()
    result = subprocess.run(command, cwd=tree, capture_output=True, text=True, env=os.environ.copy())  # nosec B603
    seconds = time.monotonic() - started
    output = result.stdout + result.stderr
    counts = summary_counts(output)
    other = counts.get("skipped", 0) + counts.get("error", 0) + counts.get("errors", 0) + counts.get("xfailed", 0)
    if result.returncode not in (0, 1) and not other:
        # Collection errors, unknown node ids or an interrupted run: nothing the tests decided.
        other = 1
    return Run(counts.get("passed", 0), counts.get("failed", 0), other, seconds, output)


def summary_counts(output: str) -> dict[str, int]:
    """Return pytest's final counts ("3 passed, 1 skipped") by word."""
    lines = [line for line in output.splitlines() if re.search(r"\d+ (passed|failed|skipped|error)", line)]
    if not lines:
        return {}
    return {word: int(number) for number, word in re.findall(r"(\d+) (\w+)", lines[-1])}


def first_failure(output: str) -> str:
    """Return the first failing test with its first assertion line, or the end of the output."""
    lines = output.splitlines()
    # The short summary's lines, not captured log lines, which also start with ERROR.
    failed = next((line.split(" - ")[0] for line in lines if re.match(r"(FAILED|ERROR) tests/", line)), "")
    reason = next((line[1:].strip() for line in lines if line.startswith("E ") and line[1:].strip()), "")
    if failed:
        return f"{failed}: {reason[:160]}" if reason else failed
    return "\n".join(lines[-15:])


def check(tree: Path, mutation: Mutation) -> Result:
    baseline = run_tests(tree, mutation.tests)
    if baseline.failed or baseline.other or baseline.passed == 0:
        return Result(mutation, "baseline broken", baseline.seconds, first_failure(baseline.output))
    file = tree / mutation.path
    original = file.read_bytes()
    try:
        file.write_text(original.decode("utf-8").replace(mutation.old, mutation.new, 1), encoding="utf-8")
        mutated = run_tests(tree, mutation.tests)
    finally:
        # Restored byte for byte, even when the run is interrupted, so the next mutation starts from HEAD.
        file.write_bytes(original)
    seconds = baseline.seconds + mutated.seconds
    if mutated.failed:
        return Result(mutation, "caught", seconds, first_failure(mutated.output))
    if mutated.other:
        return Result(mutation, "NOT CAUGHT (error or skip)", seconds, first_failure(mutated.output))
    return Result(mutation, "NOT CAUGHT", seconds, "the tests passed with the protection removed")


def print_table(results: list[Result]) -> None:
    width = max(len(result.mutation.protection) for result in results)
    print(f"\n{'protection':<{width}}  {'outcome':<16}  {'seconds':>7}  tests")
    for result in results:
        tests = ", ".join(test.split("::")[-1] for test in result.mutation.tests)
        print(f"{result.mutation.protection:<{width}}  {result.outcome:<16}  {result.seconds:>7.1f}  {tests}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", help="a worktree to mutate (default: a fresh detached worktree of HEAD)")
    parser.add_argument("--only", help="check only the protections whose name contains this text")
    parser.add_argument("--list", action="store_true", help="list the mutations and their tests, run nothing")
    args = parser.parse_args(argv)
    mutations = [m for m in MUTATIONS if not args.only or args.only.lower() in m.protection.lower()]
    if not mutations:
        parser.error(f"no protection's name contains {args.only!r}")
    if args.list:
        for mutation in mutations:
            print(f"{mutation.protection}\n    {mutation.path}")
            for test in mutation.tests:
                print(f"    {test}")
        return 0
    started = time.monotonic()
    with worktree(args.tree) as tree:
        if problems := refusals(tree, mutations):
            print("These mutations no longer apply; update their old text in scripts/protection_check.py:",
                  *problems, sep="\n  ", file=sys.stderr)
            return 2
        results = []
        for mutation in mutations:
            print(f"{mutation.protection} ...", flush=True)
            results.append(check(tree, mutation))
            print(f"    {results[-1].outcome} in {results[-1].seconds:.1f}s: {results[-1].detail}", flush=True)
    print_table(results)
    missed = [result for result in results if result.outcome != "caught"]
    print(f"\n{len(results) - len(missed)} of {len(results)} caught in {time.monotonic() - started:.0f}s")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
