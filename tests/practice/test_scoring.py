"""Scoring and the rules of a question's choices, without a database."""
from practice.scoring import AnswerKey, choice_problems, parse_letters, score_answers

KEYS = [AnswerKey(1, frozenset({11})), AnswerKey(2, frozenset({21, 23}))]


def test_a_question_counts_only_when_exactly_its_right_choices_are_chosen():
    """One right of two, or every right plus a wrong one, counts as wrong; unanswered counts as wrong."""
    assert score_answers(KEYS, {1: [11], 2: [21, 23]}).right == 2
    assert [r.is_right for r in score_answers(KEYS, {1: [11, 12], 2: [21]}).results] == [False, False]
    score = score_answers(KEYS, {2: [23, 21]})
    assert (score.right, score.total, [r.is_right for r in score.results]) == (1, 2, [False, True])


def test_the_chosen_choices_are_kept_per_question():
    """Each result keeps what was chosen, so the page can show it beside the right answers."""
    results = score_answers(KEYS, {1: [12]}).results
    assert [(r.question_id, r.chosen_choice_ids) for r in results] == [(1, frozenset({12})), (2, frozenset())]


def test_a_question_without_a_right_answer_is_refused():
    """Two filled choices but none marked right cannot be saved."""
    assert choice_problems([("甲", False), ("乙", False)]) == ["no_right_answer"]


def test_choices_need_two_texts_and_a_right_one_needs_its_text():
    """A single choice is too few; a choice marked right with no text is named."""
    assert choice_problems([("甲", True), ("", False)]) == ["too_few"]
    assert choice_problems([("甲", True), ("乙", False), ("", True)]) == ["right_without_text"]
    assert choice_problems([("甲", True), ("乙", False), ("丙", True)]) == []


def test_right_letters_are_read_in_the_common_spellings():
    """"A,C", "a c" and "CA" name letters; a letter beyond F is refused."""
    assert parse_letters("A,C") == ["A", "C"]
    assert parse_letters("a c") == ["A", "C"]
    assert parse_letters("CAC") == ["C", "A"]
    assert parse_letters("A,G") is None
    assert parse_letters("") == []
