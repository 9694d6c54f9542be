"""Exam-rank placement (today's legal rule): the best exam rank picks first."""

import pytest
from engine_strategies import raw_instances
from hypothesis import given, settings
from hypothesis import strategies as st

from placement.engine import InvalidInstance, blocking_pairs, exam_rank_instance, serial_dictatorship, solve


@st.composite
def exam_cases(draw):
    """Draw capacities, preferences and a strict exam order of all candidates."""
    capacities, preferences, _ = draw(raw_instances(max_candidates=9, max_offices=6))
    exam_order = draw(st.permutations(list(preferences)))
    return capacities, preferences, list(exam_order)


@settings(max_examples=800, deadline=None)
@given(case=exam_cases())
def test_deferred_acceptance_on_exam_order_is_serial_dictatorship(case):
    """With every office ranking by exam order, candidate-proposing DA equals best-rank-picks-first."""
    capacities, preferences, exam_order = case
    instance = exam_rank_instance(capacities, preferences, exam_order)
    assert (
        solve(instance, "candidates").assignment
        == serial_dictatorship(capacities, preferences, exam_order).assignment
    )


@settings(max_examples=200, deadline=None)
@given(case=exam_cases())
def test_exam_rank_stable_assignment_is_unique(case):
    """With one common priority order, offices proposing finds the same assignment as candidates."""
    capacities, preferences, exam_order = case
    instance = exam_rank_instance(capacities, preferences, exam_order)
    assignment = solve(instance, "offices").assignment
    assert assignment == solve(instance, "candidates").assignment
    assert blocking_pairs(instance, assignment) == []


def test_best_rank_picks_first():
    """The top candidate takes its first choice; the next takes its best office with seats left."""
    capacities = {"taipei": 1, "tainan": 1}
    preferences = {"low": ["taipei", "tainan"], "top": ["taipei"], "mid": ["taipei", "tainan"]}
    result = serial_dictatorship(capacities, preferences, ["top", "mid", "low"])
    assert result.assignment == {"low": None, "top": "taipei", "mid": "tainan"}
    assert result.method == "serial_dictatorship"


def test_exam_rank_instance_lists_applicants_in_exam_order():
    """Each office lists the candidates who ranked it, best exam rank first."""
    instance = exam_rank_instance({"o": 2, "p": 1}, {"a": ["o"], "b": ["p", "o"], "c": []}, ["c", "b", "a"])
    assert dict(instance.priorities) == {"o": ("b", "a"), "p": ("b",)}


@pytest.mark.parametrize(
    ("exam_order", "named"),
    [
        (["a", "b", "a"], "candidate 'a' more than once"),
        (["a", "b", "x"], "unknown candidate 'x'"),
        (["a"], "does not name candidate 'b'"),
    ],
)
@pytest.mark.parametrize("build", [exam_rank_instance, serial_dictatorship])
def test_invalid_exam_order_raises(build, exam_order, named):
    """An exam order must name every candidate exactly once."""
    with pytest.raises(InvalidInstance, match=named):
        build({"o": 1}, {"a": ["o"], "b": ["o"]}, exam_order)


@pytest.mark.parametrize("build", [exam_rank_instance, serial_dictatorship])
def test_exam_rank_validates_preferences(build):
    """Unknown offices in preferences raise with the same message as Instance."""
    with pytest.raises(InvalidInstance, match="candidate 'a' ranks unknown office 'x'"):
        build({"o": 1}, {"a": ["x"]}, ["a"])
