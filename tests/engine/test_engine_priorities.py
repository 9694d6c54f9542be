"""Blended priorities: weighted exam standing and focus-group suitability."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placement.engine import (
    InvalidInstance,
    blended_priorities,
    exam_standings,
    lottery_number,
    solve,
)

OFFICES = ["taipei", "hsinchu"]
PREFERENCES = {"a": ["taipei", "hsinchu"], "b": ["taipei"], "c": ["taipei", "hsinchu"]}
EXAM = {"a": 1, "b": 2, "c": 3}
SCORES = {"taipei": {"a": 10, "b": 20, "c": 30}}


def test_exam_standing_is_normalised_best_one():
    """Exam standing runs from 1 for the best rank to 0 for the worst."""
    ranks, standings = exam_standings(EXAM, EXAM)
    assert ranks == EXAM
    assert standings == {"a": 1.0, "b": 0.5, "c": 0.0}
    assert exam_standings(["x", "y"], ["y", "x"]) == ({"x": 1, "y": 2}, {"x": 1.0, "y": 0.0})
    assert exam_standings({"solo": 4}, ["solo"])[1] == {"solo": 1.0}


def test_exam_weight_decides_the_order():
    """A heavy exam weight keeps exam order; a light one lets suitability lead."""
    exam_heavy = blended_priorities(OFFICES, PREFERENCES, EXAM, SCORES, exam_weight=0.7, seed=1)
    # a: 0.7*1 + 0.3*0 = 0.7, b: 0.35 + 0.15 = 0.5, c: 0 + 0.3 = 0.3.
    assert exam_heavy.priorities["taipei"] == ["a", "b", "c"]
    assert exam_heavy.scores["taipei"] == {"a": 0.7, "b": 0.5, "c": 0.3}
    suitability_heavy = blended_priorities(OFFICES, PREFERENCES, EXAM, SCORES, exam_weight=0.3, seed=1)
    assert suitability_heavy.priorities["taipei"] == ["c", "b", "a"]
    assert suitability_heavy.exam_weight == 0.3
    assert suitability_heavy.suitability_weight == pytest.approx(0.7)


def test_office_without_scores_falls_back_to_exam_order():
    """An office without finalised scores ranks its applicants by exam order."""
    blended = blended_priorities(OFFICES, PREFERENCES, EXAM, SCORES, exam_weight=0.3, seed=1)
    assert blended.priorities["hsinchu"] == ["a", "c"]
    assert blended.fallback_offices == ("hsinchu",)
    explicit_none = blended_priorities(OFFICES, PREFERENCES, EXAM, {**SCORES, "hsinchu": None}, seed=1)
    assert explicit_none.fallback_offices == ("hsinchu",)
    empty = blended_priorities(OFFICES, PREFERENCES, EXAM, {**SCORES, "hsinchu": {}}, seed=1)
    assert empty.fallback_offices == ("hsinchu",)


def test_only_applicants_are_listed():
    """An office lists only the candidates who ranked it, and only acceptable ones when asked."""
    blended = blended_priorities(OFFICES, PREFERENCES, EXAM, {}, seed=1)
    assert blended.priorities == {"taipei": ["a", "b", "c"], "hsinchu": ["a", "c"]}
    picky = blended_priorities(OFFICES, PREFERENCES, EXAM, {}, seed=1, acceptable=lambda o, c: c != "a")
    assert picky.priorities == {"taipei": ["b", "c"], "hsinchu": ["c"]}


def test_suitability_is_min_max_within_the_office():
    """Suitability is rescaled to [0, 1] over the office's scores; equal scores all count as 1."""
    blended = blended_priorities(
        ["o"], {"a": ["o"], "b": ["o"]}, {"a": 1, "b": 1}, {"o": {"a": 50, "b": 70}}, seed=1
    )
    # Tied exam ranks: both have standing 1, so suitability 0 vs 1 decides.
    assert blended.scores["o"] == {"a": 0.7, "b": 1.0}
    assert blended.priorities["o"] == ["b", "a"]
    flat = blended_priorities(
        ["o"], {"a": ["o"], "b": ["o"]}, {"a": 1, "b": 2}, {"o": {"a": 5, "b": 5}}, seed=1
    )
    assert flat.scores["o"] == {"a": 1.0, "b": 0.3}


def test_the_suitability_scale_includes_scored_candidates_who_did_not_apply():
    """A candidate the office scored but who did not rank it still sets the scale for the applicants."""
    blended = blended_priorities(
        ["o", "p"], {"a": ["o"], "b": ["o"], "z": ["p"]}, {"a": 1, "b": 1, "z": 1},
        {"o": {"a": 50, "b": 70, "z": 30}}, seed=1,
    )
    # Over 30..70, a is 0.5 and b is 1, so a scores 0.7 * 1 + 0.3 * 0.5; z is not listed at o.
    assert blended.scores["o"] == {"a": 0.85, "b": 1.0}
    assert blended.priorities["o"] == ["b", "a"]


def test_missing_score_counts_as_lowest_and_is_reported():
    """An applicant without a score at a scoring office gets suitability 0 and is listed as unscored."""
    blended = blended_priorities(
        OFFICES, PREFERENCES, EXAM, {"taipei": {"b": 5, "c": 9}}, exam_weight=0.5, seed=1
    )
    assert blended.unscored == {"taipei": ("a",)}
    # a: 0.5*1 + 0 = 0.5, b: 0.25 + 0 = 0.25, c: 0 + 0.5 = 0.5; a beats c on exam rank.
    assert blended.priorities["taipei"] == ["a", "c", "b"]


def test_ties_go_to_exam_rank_then_lottery():
    """Equal scores are ordered by exam rank, then by the seeded lottery."""
    preferences = {c: ["o"] for c in "abcdefgh"}
    tied = dict.fromkeys(preferences, 1)
    first = blended_priorities(["o"], preferences, tied, {}, seed=7)
    again = blended_priorities(["o"], preferences, tied, {}, seed=7)
    assert first.priorities == again.priorities
    assert first.seed == 7
    assert first.priorities["o"] == sorted(preferences, key=lambda c: lottery_number(7, c))
    orders = {
        tuple(blended_priorities(["o"], preferences, tied, {}, seed=s).priorities["o"]) for s in range(5)
    }
    assert len(orders) > 1
    # Exam rank comes before the lottery.
    ranked = blended_priorities(["o"], preferences, {**tied, "h": 0}, {}, exam_weight=0.0, seed=7)
    assert ranked.priorities["o"][0] == "h"


def test_seed_is_drawn_and_recorded_when_missing():
    """Without a seed one is drawn, recorded, and reproduces the same lists."""
    preferences = {c: ["o"] for c in "abcdef"}
    tied = dict.fromkeys(preferences, 1)
    drawn = blended_priorities(["o"], preferences, tied, {})
    assert isinstance(drawn.seed, int)
    assert blended_priorities(["o"], preferences, tied, {}, seed=drawn.seed).priorities == drawn.priorities


def test_blended_priorities_feed_an_instance():
    """The result builds an instance that solve accepts."""
    blended = blended_priorities(OFFICES, PREFERENCES, EXAM, SCORES, exam_weight=0.3, seed=1)
    instance = blended.instance({"taipei": 1, "hsinchu": 1}, PREFERENCES)
    assert solve(instance).assignment == {"a": "hsinchu", "b": None, "c": "taipei"}


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 8),
    ranks=st.lists(st.integers(1, 4), min_size=8, max_size=8),
    scores=st.lists(st.integers(0, 3), min_size=8, max_size=8),
    weight=st.sampled_from([0.0, 0.3, 0.5, 0.7, 1.0]),
    seed=st.integers(0, 2**32),
)
def test_blended_priorities_do_not_depend_on_input_order(n, ranks, scores, weight, seed):
    """Reordering the input gives the same priority lists, ties included."""
    candidates = [f"c{i}" for i in range(n)]
    offices = ["o", "p"]
    preferences = {c: offices if i % 2 else ["p"] for i, c in enumerate(candidates)}
    exam = {c: ranks[i] for i, c in enumerate(candidates)}
    suitability = {"o": {c: scores[i] for i, c in enumerate(candidates)}}
    first = blended_priorities(offices, preferences, exam, suitability, exam_weight=weight, seed=3)
    rng = random.Random(seed)

    def shuffled(mapping):
        items = list(mapping.items())
        rng.shuffle(items)
        return dict(items)

    second = blended_priorities(
        offices[::-1],
        shuffled(preferences),
        shuffled(exam),
        {"o": shuffled(suitability["o"])},
        exam_weight=weight,
        seed=3,
    )
    assert first.priorities == second.priorities
    for office in offices:
        keys = [(-first.scores[office][c], exam[c]) for c in first.priorities[office]]
        assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"exam_weight": 1.5}, "exam weight"),
        ({"suitability": {"nowhere": {}}}, "unknown office 'nowhere'"),
        ({"suitability": {"taipei": {"a": "high"}}}, "candidate 'a' a non-numeric score 'high'"),
        ({"suitability": {"taipei": {"zed": 1}}}, "unknown candidate 'zed'"),
        ({"exam_ranks": {"a": 1, "b": 2}}, "candidate 'c' has no exam rank"),
        ({"exam_ranks": {**EXAM, "zed": 4}}, "unknown candidate 'zed'"),
        ({"exam_ranks": ["a", "b", "c", "a"]}, "candidate 'a' more than once"),
        (
            {"preferences": {"a": ["mars"]}, "exam_ranks": {"a": 1}},
            "candidate 'a' ranks unknown office 'mars'",
        ),
        ({"seed": "abc"}, "seed"),
    ],
)
def test_invalid_blend_input_raises(kwargs, named):
    """Invalid weights, scores, exam ranks or seeds raise InvalidInstance naming the entry."""
    arguments = {"preferences": PREFERENCES, "exam_ranks": EXAM, "suitability": SCORES, "seed": 1, **kwargs}
    with pytest.raises(InvalidInstance, match=named):
        blended_priorities(
            OFFICES,
            arguments.pop("preferences"),
            arguments.pop("exam_ranks"),
            arguments.pop("suitability"),
            **arguments,
        )


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(2, 7),
    ranks=st.lists(st.integers(1, 5), min_size=7, max_size=7),
    scores=st.lists(st.one_of(st.none(), st.integers(0, 9)), min_size=14, max_size=14),
    lists=st.lists(st.sampled_from([(), ("o",), ("p",), ("o", "p"), ("p", "o")]), min_size=7, max_size=7),
    changed=st.integers(0, 6),
    new_list=st.sampled_from([(), ("o",), ("p",), ("o", "p"), ("p", "o")]),
    weight=st.sampled_from([0.0, 0.3, 0.5, 0.7, 1.0]),
)
def test_one_candidates_list_never_changes_an_office_order_over_the_others(
    n, ranks, scores, lists, changed, new_list, weight
):
    """Ranking truthfully is safe: whatever one candidate ranks, every office orders the others the same way."""
    candidates = [f"c{i}" for i in range(n)]
    mover = candidates[changed % n]
    exam = {c: ranks[i] for i, c in enumerate(candidates)}
    # Each office scores some candidates, including some who did not rank it.
    suitability = {
        office: {c: scores[k * 7 + i] for i, c in enumerate(candidates) if scores[k * 7 + i] is not None}
        for k, office in enumerate(["o", "p"])
    }
    before = {c: list(lists[i]) for i, c in enumerate(candidates)}
    after = {**before, mover: list(new_list)}
    first = blended_priorities(["o", "p"], before, exam, suitability, exam_weight=weight, seed=5)
    second = blended_priorities(["o", "p"], after, exam, suitability, exam_weight=weight, seed=5)
    for office in ["o", "p"]:
        others_before = [c for c in first.priorities[office] if c != mover]
        others_after = [c for c in second.priorities[office] if c != mover]
        assert others_before == others_after
        for c in others_before:
            assert first.scores[office][c] == second.scores[office][c]
