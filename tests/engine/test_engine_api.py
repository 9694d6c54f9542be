"""The public API of placement.engine: shapes, edge cases and invalid input."""

import os
import subprocess
import sys
import textwrap

import pytest

from placement.engine import (
    ENGINE_VERSION,
    Instance,
    InvalidAssignment,
    InvalidInstance,
    Result,
    blocking_pairs,
    is_stable,
    solve,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BOTH = ["candidates", "offices"]


def small():
    """Return a three-candidate, two-office instance with a unique stable assignment."""
    return Instance(
        capacities={"north": 1, "south": 1},
        preferences={"ann": ["north", "south"], "bob": ["north", "south"], "cat": ["south"]},
        priorities={"north": ["bob", "ann"], "south": ["ann", "cat", "bob"]},
    )


def test_engine_does_not_import_django():
    """Importing placement.engine loads no Django module."""
    code = (
        "import sys, placement.engine; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_engine_version_is_recorded():
    """The engine exposes its version for runs to record."""
    assert ENGINE_VERSION == "1.0.0"


def test_solve_returns_every_candidate():
    """The assignment maps every candidate to an office or None."""
    result = solve(small())
    assert isinstance(result, Result)
    assert result.assignment == {"ann": "south", "bob": "north", "cat": None}
    assert list(result.assignment) == ["ann", "bob", "cat"]
    assert result.proposing == "candidates"
    assert blocking_pairs(small(), result.assignment) == []


def test_solve_offices_proposing():
    """Offices can propose; the result says so and is stable."""
    instance = small()
    result = solve(instance, proposing="offices")
    assert result.proposing == "offices"
    assert result.assignment == {"ann": "south", "bob": "north", "cat": None}
    assert is_stable(instance, result.assignment)


def test_sides_can_disagree():
    """With two stable assignments, each proposing side gets its own optimum."""
    instance = Instance(
        capacities={"a": 1, "b": 1},
        preferences={"x": ["a", "b"], "y": ["b", "a"]},
        priorities={"a": ["y", "x"], "b": ["x", "y"]},
    )
    assert solve(instance, "candidates").assignment == {"x": "a", "y": "b"}
    assert solve(instance, "offices").assignment == {"x": "b", "y": "a"}


def test_unknown_proposing_side_raises():
    """Proposing must be 'candidates' or 'offices'."""
    with pytest.raises(ValueError, match="residents"):
        solve(small(), proposing="residents")


def test_result_groups_by_office():
    """Result.by_office lists each office's candidates."""
    assert solve(small()).by_office() == {"south": ["ann"], "north": ["bob"]}


def test_instance_gives_validated_input_back():
    """The instance exposes read-only copies of its input, with every office in the priorities."""
    instance = Instance(capacities={1: 2, 2: 0}, preferences={"a": [2, 1]}, priorities={1: ["a"]})
    assert dict(instance.capacities) == {1: 2, 2: 0}
    assert dict(instance.preferences) == {"a": (2, 1)}
    assert dict(instance.priorities) == {1: ("a",), 2: ()}
    with pytest.raises(TypeError):
        instance.capacities[1] = 5
    assert instance.is_acceptable("a", 1)
    assert not instance.is_acceptable("a", 2)
    assert "1 candidates" in repr(instance)


def test_input_is_copied():
    """Changing the input after building the instance does not change the instance."""
    preferences = {"a": ["o"]}
    priorities = {"o": ["a"]}
    instance = Instance({"o": 1}, preferences, priorities)
    preferences["a"].clear()
    priorities["o"].clear()
    assert solve(instance).assignment == {"a": "o"}


# Edge cases.


@pytest.mark.parametrize("proposing", BOTH)
def test_zero_seats(proposing):
    """An office with zero seats takes nobody, and nobody blocks with it."""
    instance = Instance(
        capacities={"closed": 0, "open": 1},
        preferences={"a": ["closed", "open"], "b": ["closed"]},
        priorities={"closed": ["a", "b"], "open": ["a"]},
    )
    result = solve(instance, proposing)
    assert result.assignment == {"a": "open", "b": None}
    assert blocking_pairs(instance, result.assignment) == []


@pytest.mark.parametrize("proposing", BOTH)
def test_empty_lists(proposing):
    """Empty preference and priority lists leave everyone unplaced."""
    instance = Instance(capacities={"o": 3}, preferences={"a": [], "b": ["o"]}, priorities={"o": []})
    assert solve(instance, proposing).assignment == {"a": None, "b": None}


@pytest.mark.parametrize("proposing", BOTH)
def test_empty_instance(proposing):
    """No candidates and no offices give an empty assignment."""
    instance = Instance(capacities={}, preferences={}, priorities={})
    assert solve(instance, proposing).assignment == {}
    assert blocking_pairs(instance, {}) == []


@pytest.mark.parametrize("proposing", BOTH)
def test_more_seats_than_candidates(proposing):
    """With more seats than candidates, every candidate gets its first choice."""
    instance = Instance(
        capacities={"big": 10, "small": 5},
        preferences={"a": ["big", "small"], "b": ["small", "big"], "c": ["big"]},
        priorities={"big": ["c", "b", "a"], "small": ["a", "b"]},
    )
    assert solve(instance, proposing).assignment == {"a": "big", "b": "small", "c": "big"}


@pytest.mark.parametrize("proposing", BOTH)
def test_candidate_no_office_accepts(proposing):
    """A candidate no office accepts stays unplaced, even with seats left."""
    instance = Instance(
        capacities={"o1": 2, "o2": 2},
        preferences={"a": ["o1", "o2"], "b": ["o2"]},
        priorities={"o1": ["b"], "o2": ["b"]},
    )
    result = solve(instance, proposing)
    assert result.assignment == {"a": None, "b": "o2"}
    assert blocking_pairs(instance, result.assignment) == []


@pytest.mark.parametrize("proposing", BOTH)
def test_office_missing_from_priorities_accepts_nobody(proposing):
    """An office with seats but no priority list accepts nobody."""
    instance = Instance(capacities={"o": 1, "p": 1}, preferences={"a": ["o", "p"]}, priorities={"p": ["a"]})
    assert solve(instance, proposing).assignment == {"a": "p"}


@pytest.mark.parametrize("proposing", BOTH)
def test_one_candidate(proposing):
    """A single candidate gets the best office that accepts it."""
    instance = Instance(
        capacities={"x": 1, "y": 1, "z": 1},
        preferences={"solo": ["x", "y", "z"]},
        priorities={"x": [], "y": ["solo"], "z": ["solo"]},
    )
    assert solve(instance, proposing).assignment == {"solo": "y"}


@pytest.mark.parametrize("proposing", BOTH)
def test_integer_and_mixed_ids(proposing):
    """Ids can be ints, strings or tuples."""
    instance = Instance(
        capacities={1: 1, ("office", 2): 1},
        preferences={"a": [1, ("office", 2)], 7: [1]},
        priorities={1: [7, "a"], ("office", 2): ["a"]},
    )
    assert solve(instance, proposing).assignment == {"a": ("office", 2), 7: 1}


def test_unacceptable_in_one_direction_only():
    """A candidate listed by an office it did not rank is never placed there."""
    instance = Instance(
        capacities={"o": 1, "p": 1}, preferences={"a": ["p"]}, priorities={"o": ["a"], "p": []}
    )
    assert solve(instance).assignment == {"a": None}
    assert solve(instance, "offices").assignment == {"a": None}


def test_long_chain_needs_no_recursion():
    """Solving and checking a long rejection chain works under a tiny recursion limit."""
    code = textwrap.dedent(
        """
        import sys
        from placement.engine import Instance, solve, blocking_pairs
        n = 400
        offices = list(range(n))
        preferences = {c: offices[:] for c in range(n)}
        # Every office prefers later candidates, so candidates keep displacing each other.
        priorities = {o: list(range(n - 1, -1, -1)) for o in offices}
        instance = Instance({o: 1 for o in offices}, preferences, priorities)
        sys.setrecursionlimit(60)
        for side in ("candidates", "offices"):
            result = solve(instance, side)
            assert blocking_pairs(instance, result.assignment) == []
        print("ok")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


# Invalid instances: each raises a ValueError subclass whose message names the offending entry.


@pytest.mark.parametrize(
    ("capacities", "preferences", "priorities", "named"),
    [
        ({"o": 1}, {"a": ["o", "ghost"]}, {}, "'ghost'"),
        ({"o": 1, "p": 1}, {"a": ["o", "p", "o"]}, {}, "office 'o' more than once"),
        ({"o": 1, "p": -2}, {}, {}, "office 'p' has a negative capacity -2"),
        ({"o": 1}, {"a": ["o"]}, {"o": ["a", "stranger"]}, "'stranger'"),
        ({"o": 1}, {"a": ["o"]}, {"o": ["a", "a"]}, "candidate 'a' more than once"),
        ({"o": 1}, {}, {"elsewhere": []}, "'elsewhere'"),
        ({"o": 1.5}, {}, {}, "office 'o' has a non-integer capacity 1.5"),
        ({"o": True}, {}, {}, "office 'o' has a non-integer capacity True"),
        ({"o": 1}, {"a": "o"}, {}, "candidate 'a' must be a list or tuple, not str"),
        ({"o": 1}, {"a": ["o"]}, {"o": "a"}, "office 'o' must be a list or tuple, not str"),
        ({"o": 1}, {"a": [["o"]]}, {}, "candidate 'a' ranks an unhashable office ['o']"),
        ({None: 1}, {}, {}, "None cannot be an office id"),
    ],
)
def test_invalid_instance_names_the_entry(capacities, preferences, priorities, named):
    """Malformed input raises InvalidInstance (a ValueError) naming the offending entry."""
    with pytest.raises(InvalidInstance) as error:
        Instance(capacities, preferences, priorities)
    assert isinstance(error.value, ValueError)
    assert named in str(error.value)


def test_invalid_instance_names_the_candidate():
    """The message names whose list holds the bad entry."""
    with pytest.raises(InvalidInstance, match="candidate 'b' ranks unknown office 'ghost'"):
        Instance({"o": 1}, {"a": ["o"], "b": ["ghost"]}, {})
    with pytest.raises(InvalidInstance, match="office 'o' ranks unknown candidate 'z'"):
        Instance({"o": 1}, {"a": ["o"]}, {"o": ["z"]})


def test_non_mapping_input_raises():
    """Capacities, preferences and priorities must be mappings."""
    with pytest.raises(InvalidInstance, match="preferences must be a mapping"):
        Instance({}, [("a", [])], {})


# Invalid assignments given to blocking_pairs.


@pytest.mark.parametrize(
    ("assignment", "named"),
    [
        ({"ann": "north", "bob": "north"}, "office 'north' is assigned 2 candidates but has 1 seats"),
        ({"cat": "north"}, "candidate 'cat' is assigned office 'north', which it did not rank"),
        ({"cat": "south", "ann": "south"}, "office 'south' is assigned 2 candidates"),
        ({"dan": None}, "unknown candidate 'dan'"),
        ({"ann": "west"}, "unknown office 'west'"),
    ],
)
def test_invalid_assignment_raises(assignment, named):
    """An assignment breaking a capacity or acceptability, or naming unknown ids, raises."""
    instance = small()
    with pytest.raises(InvalidAssignment) as error:
        blocking_pairs(instance, assignment)
    assert isinstance(error.value, ValueError)
    assert named in str(error.value)


def test_assignment_to_office_not_listing_candidate_raises():
    """Giving a candidate an office that does not list it raises."""
    instance = Instance({"o": 1}, {"a": ["o"]}, {"o": []})
    with pytest.raises(
        InvalidAssignment, match="candidate 'a' is assigned office 'o', which does not accept it"
    ):
        blocking_pairs(instance, {"a": "o"})


def test_blocking_pairs_of_a_hand_made_assignment():
    """blocking_pairs reports every pair that blocks an assignment not produced by solve."""
    instance = small()
    # Everyone unplaced: each acceptable pair with a free seat blocks.
    assert blocking_pairs(instance, {"ann": None, "bob": None, "cat": None}) == [
        ("ann", "north"),
        ("ann", "south"),
        ("bob", "north"),
        ("bob", "south"),
        ("cat", "south"),
    ]
    # A missing candidate counts as unplaced: bob blocks with north, which prefers him to ann.
    assert blocking_pairs(instance, {"ann": "north", "cat": "south"}) == [("bob", "north")]
    # Bob at south is valid but unstable: north has a free seat, and south prefers ann and cat.
    assert blocking_pairs(instance, {"bob": "south", "cat": None}) == [
        ("ann", "north"),
        ("ann", "south"),
        ("bob", "north"),
        ("cat", "south"),
    ]
