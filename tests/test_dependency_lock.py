"""Every install comes from the committed locks, and the locks follow pyproject.toml."""
import importlib.metadata
import subprocess
import sys

from django.conf import settings
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from scripts import lockfile

PYPROJECT_TEXT = lockfile.PYPROJECT.read_text(encoding="utf-8")
TEST_LOCK_TEXT = lockfile.TEST_LOCK.read_text(encoding="utf-8")
BASE_LOCK_TEXT = lockfile.BASE_LOCK.read_text(encoding="utf-8")


def _applicable_pins(lock_text: str) -> dict[str, str]:
    """Return {name: version} for the lock entries whose environment marker holds on this machine."""
    return {
        name: version for name, version, marker in lockfile.locked_pins(lock_text)
        if marker is None or Marker(marker).evaluate()
    }


def _direct_requirements(extras: tuple[str, ...]) -> list[Requirement]:
    import tomllib

    project = tomllib.loads(PYPROJECT_TEXT)["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


def test_the_locks_were_made_from_the_current_pyproject():
    """A range edited in pyproject.toml without re-locking fails here, saying to run `make lock`."""
    assert lockfile.lock_problems(PYPROJECT_TEXT, {"test.txt": TEST_LOCK_TEXT, "base.txt": BASE_LOCK_TEXT}) == []


def test_an_edited_range_is_reported_with_the_command_that_fixes_it():
    """Changing one version range changes the digest, and the message names `make lock`."""
    edited = PYPROJECT_TEXT.replace('"Django~=5.2.0"', '"Django~=5.1.0"')
    assert edited != PYPROJECT_TEXT
    problems = lockfile.lock_problems(edited, {"requirements/test.txt": TEST_LOCK_TEXT})
    assert len(problems) == 1
    assert "requirements/test.txt" in problems[0] and "make lock" in problems[0]
    # Text outside the dependency sections is not a dependency change.
    reworded = PYPROJECT_TEXT.replace('description = "', 'description = "Reworded. ')
    assert reworded != PYPROJECT_TEXT
    assert lockfile.dependency_digest(reworded) == lockfile.dependency_digest(PYPROJECT_TEXT)


def test_the_check_command_fails_on_a_stale_lock(tmp_path, monkeypatch, capsys):
    """`scripts/lockfile.py check` (run by CI before installing) exits 1 and says what to do on a stale lock."""
    stale = tmp_path / "requirements" / "test.txt"
    stale.parent.mkdir()
    stale.write_text(TEST_LOCK_TEXT.replace(lockfile.DIGEST_PREFIX, lockfile.DIGEST_PREFIX + "0"), encoding="utf-8")
    monkeypatch.setattr(lockfile, "ROOT", tmp_path)
    monkeypatch.setattr(lockfile, "LOCKS", (lockfile.LockSpec(stale, extras=("test",), constraint=None),))
    assert lockfile.check() == 1
    assert "requirements/test.txt was not made from the current pyproject.toml" in capsys.readouterr().err


def test_the_check_command_passes_on_the_committed_locks():
    """The committed locks pass the check that CI runs on a bare Python, without any installed package."""
    bare_python = getattr(sys, "_base_executable", sys.executable)
    result = subprocess.run([bare_python, "-I", "scripts/lockfile.py", "check"], cwd=settings.BASE_DIR,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_every_locked_package_has_an_exact_version_and_hashes():
    """Each entry of both locks is pinned with == and carries at least one sha256 hash."""
    for text in (TEST_LOCK_TEXT, BASE_LOCK_TEXT):
        entries = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
        assert len(entries) == len(lockfile.locked_pins(text)) > 40
        blocks = text.split("\n")
        for index, line in enumerate(blocks):
            if line in entries:
                assert blocks[index + 1].strip().startswith("--hash=sha256:"), line


def test_every_direct_requirement_is_satisfied_by_the_lock():
    """The locked version of each package named in pyproject.toml lies inside its range."""
    for lock_text, extras in ((TEST_LOCK_TEXT, ("test",)), (BASE_LOCK_TEXT, ())):
        pins = _applicable_pins(lock_text)
        for requirement in _direct_requirements(extras):
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{name} is not in the lock: run `make lock`"
            assert requirement.specifier.contains(pins[name], prereleases=True), (name, pins[name])


def test_the_runtime_lock_agrees_with_the_full_lock():
    """Production installs the same versions as the tests ran on."""
    test_pins = _applicable_pins(TEST_LOCK_TEXT)
    for name, version in _applicable_pins(BASE_LOCK_TEXT).items():
        assert test_pins.get(name) == version, name


def test_the_running_environment_is_exactly_the_lock():
    """What the suite runs on was installed from the lock: the same versions and no package beyond it."""
    pins = _applicable_pins(TEST_LOCK_TEXT)
    installed = {
        canonicalize_name(dist.metadata["Name"]): dist.version for dist in importlib.metadata.distributions()
    }
    assert {name: installed.get(name) for name in pins} == pins
    # The installer may come with the virtual environment rather than from the lock.
    assert sorted(set(installed) - set(pins) - {"pip", "setuptools", "wheel"}) == []
