"""Suitability scores have a scale, shown on the import page; values outside it are refused row by row (#15)."""
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from placement.models import SuitabilityScore
from placement.services.imports import suitability_import
from placement.tabular import TableError
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _file(world, *scores) -> bytes:
    rows = [f"{candidate.exam_number},{score}" for candidate, score in zip(world.candidates, scores, strict=False)]
    return ("exam_number,score\n" + "\n".join(rows) + "\n").encode()


def test_scores_outside_the_scale_are_refused_by_row_and_nothing_is_imported(world):
    """150 and −5 are each reported on their own row; the good rows are not saved either."""
    with pytest.raises(TableError) as caught:
        suitability_import(cycle=world.cycle, office=world.offices[0], filename="s.csv",
                           content=_file(world, "80", "150", "-5", "100"))
    assert [(error.row, error.column) for error in caught.value.errors] == [(3, "score"), (4, "score")]
    assert "from 0 to 100" in caught.value.errors[0].message
    assert not SuitabilityScore.objects.exists()


def test_the_ends_of_the_scale_are_accepted(world):
    suitability_import(cycle=world.cycle, office=world.offices[0], filename="s.csv",
                       content=_file(world, "0", "100", "55.125"))
    assert sorted(SuitabilityScore.objects.values_list("score", flat=True)) == [
        Decimal("0"), Decimal("55.125"), Decimal("100")]


def test_the_import_page_shows_the_scale_and_lists_the_rows_outside_it(client, world):
    client.force_login(make_user(Role.EXAM_STAFF))
    client.cookies["django_language"] = "en"
    url = reverse("placement:cycle_import", kwargs={"pk": world.cycle.pk, "kind": "suitability"})
    assert "on a scale from 0 to 100" in client.get(url).content.decode()
    response = client.post(url, {"office": world.offices[0].pk,
                                 "file": SimpleUploadedFile("s.csv", _file(world, "150", "70"))})
    assert response.status_code == 400
    assert "150 is not" in response.content.decode()
    assert not SuitabilityScore.objects.exists()
