"""The mutations of scripts/protection_check.py still apply to the code and name tests that exist."""
import re
from pathlib import Path

from scripts.protection_check import MUTATIONS, ROOT, refusals


def test_every_mutation_finds_its_text_exactly_once():
    """Code changed under a mutation fails here, so the mutation is updated in the same change."""
    assert refusals(ROOT, MUTATIONS) == []


def test_every_mutation_names_an_existing_test_and_changes_something():
    for mutation in MUTATIONS:
        assert mutation.old != mutation.new, mutation.protection
        for node in mutation.tests:
            path, _sep, name = node.partition("::")
            assert re.search(rf"^def {re.escape(name.split('[')[0])}\(", Path(ROOT, path).read_text(encoding="utf-8"),
                             re.MULTILINE), node


def test_each_protection_is_named_once():
    names = [mutation.protection for mutation in MUTATIONS]
    assert len(names) == len(set(names))
