"""Import an office's question bank from CSV or XLSX: every row is checked first, then all rows or none."""
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_event
from placement.models import LandOffice
from placement.tabular import RowError, TableError, read_table

from ..columns import BANK_COLUMNS, CHOICE_COLUMNS, RIGHT_COLUMN, category_lookup
from ..models import Question
from ..scoring import CHOICE_LETTERS, choice_problems, parse_letters
from ..selectors import question_choice_pairs
from .bank import question_create, question_update
from .shared import CHOICE_PROBLEM_MESSAGES


@dataclass(frozen=True)
class BankImportReport:
    created: int
    updated: int
    unchanged: int


def _parse_bank(content: bytes, filename: str) -> list[dict]:
    table = read_table(content, filename=filename, columns=BANK_COLUMNS)
    categories = category_lookup()
    errors: list[RowError] = []
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for line, raw in table:
        category = categories.get(raw["category"].strip().lower())
        if category is None:
            errors.append(RowError(line, "category", _("No category is called %(value)s.")
                                   % {"value": raw["category"] or "∅"}))
        text = raw["text"].strip()
        if not text:
            errors.append(RowError(line, "text", _("The question has no text.")))
        elif text in seen:
            errors.append(RowError(line, "text", _("The same question is already in row %(row)s.")
                                   % {"row": seen[text]}))
        else:
            seen[text] = line
        letters = parse_letters(raw[RIGHT_COLUMN])
        if letters is None:
            errors.append(RowError(line, RIGHT_COLUMN, _("Name the right choices by their letters A–F, such as A,C.")))
            letters = []
        choices = [(raw[column], letter in letters) for letter, column in zip(CHOICE_LETTERS, CHOICE_COLUMNS,
                                                                              strict=True)]
        for code in choice_problems(choices):
            column = "choice_a" if code == "too_few" else RIGHT_COLUMN
            errors.append(RowError(line, column, str(CHOICE_PROBLEM_MESSAGES[code]())))
        rows.append({"category": category, "text": text, "explanation": raw["explanation"].strip(),
                     "choices": [(choice_text.strip(), is_right) for choice_text, is_right in choices
                                 if choice_text.strip()]})
    if errors:
        raise TableError(errors)
    return rows


def question_bank_import(*, office: LandOffice, content: bytes, filename: str, acting_user) -> BankImportReport:
    """Create or update an office's questions from a table, matching by question text; all rows or none."""
    rows = _parse_bank(content, filename)
    existing = {question.text: question
                for question in Question.objects.filter(office=office).prefetch_related("choices")}
    created = updated = unchanged = 0
    with transaction.atomic():
        for row in rows:
            question = existing.get(row["text"])
            if question is None:
                question_create(office=office, acting_user=acting_user, **row)
                created += 1
            elif (question.category, question.explanation, question_choice_pairs(question)) == (
                    row["category"], row["explanation"], row["choices"]):
                unchanged += 1
            else:
                question_update(question=question, is_published=question.is_published, acting_user=acting_user,
                                **row)
                updated += 1
        audit_event(office, "question_bank.imported", actor=acting_user, file=filename, created=created,
                    updated=updated, unchanged=unchanged)
    return BankImportReport(created=created, updated=updated, unchanged=unchanged)
