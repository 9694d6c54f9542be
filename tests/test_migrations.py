"""The migrations on disk describe the models exactly."""
import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    """`makemigrations --check` finds nothing to write (and so nothing that depends on hash order)."""
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"makemigrations would write migrations (exit {exit_.code}):\n{out.getvalue()}")
