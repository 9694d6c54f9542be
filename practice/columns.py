"""The shape of the question-bank table that office staff import and export: one row per question."""
from django.utils import translation

from .models import Category

CHOICE_COLUMNS = ["choice_a", "choice_b", "choice_c", "choice_d", "choice_e", "choice_f"]
RIGHT_COLUMN = "right"
BANK_COLUMNS = ["category", "text", *CHOICE_COLUMNS, RIGHT_COLUMN, "explanation"]


def category_lookup() -> dict[str, str]:
    """Return every accepted spelling of a category, lower-cased: its code and its English and zh-Hant names."""
    lookup = {}
    for language in ("en", "zh-hant"):
        with translation.override(language):
            lookup.update({str(label).lower(): value for value, label in Category.choices})
    lookup.update({value: value for value in Category.values})
    return lookup
