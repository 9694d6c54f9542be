"""Scoring a multiple-choice attempt and the rules a question's choices follow. Pure Python: no Django imports.

A question counts as right only when exactly its right choices were chosen: choosing one right answer of two, or
every right answer plus a wrong one, counts as wrong.
"""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Choices are lettered A–F on pages and in imported and exported tables.
CHOICE_LETTERS = "ABCDEF"
MIN_CHOICES = 2


@dataclass(frozen=True)
class AnswerKey:
    """A question's id and the ids of its right choices."""

    question_id: int
    right_choice_ids: frozenset[int]


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    chosen_choice_ids: frozenset[int]
    is_right: bool


@dataclass(frozen=True)
class Score:
    results: tuple[QuestionResult, ...]

    @property
    def right(self) -> int:
        return sum(result.is_right for result in self.results)

    @property
    def total(self) -> int:
        return len(self.results)


def score_answers(keys: Iterable[AnswerKey], chosen: Mapping[int, Iterable[int]]) -> Score:
    """Score the chosen choice ids per question id against the answer keys; an unanswered question is wrong."""
    results = []
    for key in keys:
        picked = frozenset(chosen.get(key.question_id, ()))
        results.append(QuestionResult(key.question_id, picked, is_right=picked == key.right_choice_ids))
    return Score(tuple(results))


def choice_problems(choices: list[tuple[str, bool]]) -> list[str]:
    """Return the problem codes of a question's (text, is right) choices; empty when they can be saved.

    Codes: "too_few" (fewer than two choices with text), "too_many" (more than six), "no_right_answer",
    "right_without_text" (a choice marked right has no text).
    """
    problems = []
    if any(is_right and not text.strip() for text, is_right in choices):
        problems.append("right_without_text")
    filled = [(text, is_right) for text, is_right in choices if text.strip()]
    if len(filled) < MIN_CHOICES:
        problems.append("too_few")
    if len(filled) > len(CHOICE_LETTERS):
        problems.append("too_many")
    if not any(is_right for _text, is_right in filled):
        problems.append("no_right_answer")
    return problems


def parse_letters(text: str) -> list[str] | None:
    """Return the letters of "A,C" (or "a c", "AC") in order without repeats, or None when one is not A–F."""
    letters = []
    for character in text.upper():
        if character in ", ;/、，":
            continue
        if character not in CHOICE_LETTERS:
            return None
        if character not in letters:
            letters.append(character)
    return letters
