"""The placement engine: stable assignment of candidates to offices, in pure Python.

It imports nothing from Django and needs no database. The public API::

    from placement.engine import Instance, solve, blocking_pairs

    instance = Instance(capacities=..., preferences=..., priorities=...)
    result = solve(instance, proposing="candidates")   # or "offices"
    blocking_pairs(instance, result.assignment)         # [] when stable

See ``types`` for the rules of an instance, ``serial_dictatorship`` for exam-rank placement,
``priorities`` for blended priorities, ``explain`` and ``compare`` for reporting, and ``rounds`` for
supplementary rounds over the seats opened after a published run.
"""

from placement.engine.checks import assignment_indices, blocking_pairs, is_stable
from placement.engine.compare import AssignmentStats, Comparison, assignment_stats, compare
from placement.engine.deferred_acceptance import solve
from placement.engine.explain import (
    BLOCKING_PAIR,
    FULL_WITH_HIGHER_PRIORITY,
    NOT_ACCEPTABLE,
    ZERO_SEATS,
    CandidateExplanation,
    OfficeExplanation,
    explain,
)
from placement.engine.priorities import BlendedPriorities, blended_priorities, exam_standings, lottery_number
from placement.engine.rounds import (
    BLENDED,
    EXAM_RANK,
    Placement,
    RoundInstance,
    RoundResult,
    merge_round,
    round_from_snapshot,
    round_instance,
    round_snapshot,
    solve_round,
)
from placement.engine.serial_dictatorship import exam_positions, exam_rank_instance, serial_dictatorship
from placement.engine.types import CANDIDATES, OFFICES, Instance, InvalidAssignment, InvalidInstance, Result

ENGINE_VERSION = "1.0.0"

__all__ = [
    "BLENDED",
    "BLOCKING_PAIR",
    "CANDIDATES",
    "ENGINE_VERSION",
    "EXAM_RANK",
    "FULL_WITH_HIGHER_PRIORITY",
    "NOT_ACCEPTABLE",
    "OFFICES",
    "ZERO_SEATS",
    "AssignmentStats",
    "BlendedPriorities",
    "CandidateExplanation",
    "Comparison",
    "Instance",
    "InvalidAssignment",
    "InvalidInstance",
    "OfficeExplanation",
    "Placement",
    "Result",
    "RoundInstance",
    "RoundResult",
    "assignment_indices",
    "assignment_stats",
    "blended_priorities",
    "blocking_pairs",
    "compare",
    "exam_positions",
    "exam_rank_instance",
    "exam_standings",
    "explain",
    "is_stable",
    "lottery_number",
    "merge_round",
    "round_from_snapshot",
    "round_instance",
    "round_snapshot",
    "serial_dictatorship",
    "solve",
    "solve_round",
]
