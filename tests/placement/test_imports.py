"""Imports of candidates, vacancies and suitability scores: all rows or none, with row-level errors."""
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from accounts.models import Invitation
from accounts.roles import Role
from core import clock
from placement.columns import CANDIDATE_COLUMNS, CANDIDATE_RESIDENCE_COLUMNS
from placement.models import Candidate, SuitabilityScore, Vacancy
from placement.services.imports import candidates_import, suitability_import, vacancies_import
from placement.tabular import TableError
from tests.factories import CandidateFactory, LandOfficeFactory, make_user

pytestmark = pytest.mark.django_db

CANDIDATES_CSV = (
    "exam_number,name,email,exam_score,exam_rank\n"
    "30120001,王大明,wang@example.com,88.50,1\n"
    "30120002,李小華,lee@example.com,80,2\n"
)


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import_url(cycle, kind):
    return reverse("placement:cycle_import", kwargs={"pk": cycle.pk, "kind": kind})


def test_a_candidate_import_creates_candidates_and_invites_them(cycle, django_capture_on_commit_callbacks, mailoutbox):
    """New candidates are created and each gets an invitation email."""
    with django_capture_on_commit_callbacks(execute=True):
        report = candidates_import(cycle=cycle, content=CANDIDATES_CSV.encode(), filename="c.csv")
    assert (report.created, report.invited) == (2, 2)
    assert list(cycle.candidates.values_list("exam_number", "exam_rank")) == [("30120001", 1), ("30120002", 2)]
    assert sorted(Invitation.objects.values_list("email", flat=True)) == ["lee@example.com", "wang@example.com"]
    assert sorted(message.to[0] for message in mailoutbox) == ["lee@example.com", "wang@example.com"]


def test_a_bad_import_saves_nothing_and_lists_every_error(client, cycle):
    """A file with a duplicate exam number, a bad email and a bad score imports nothing and shows each problem."""
    client.force_login(make_user(Role.EXAM_STAFF))
    content = (
        "exam_number,name,email,exam_score,exam_rank\n"
        "30120001,王大明,wang@example.com,88.5,1\n"
        "30120001,李小華,not-an-email,101,2\n"
    ).encode()
    response = client.post(_import_url(cycle, "candidates"), {"file": SimpleUploadedFile("c.csv", content)})
    assert response.status_code == 400
    errors = {(e.row, e.column) for e in response.context["row_errors"]}
    assert errors == {(3, "exam_number"), (3, "email"), (3, "exam_score")}
    assert "30120001" in response.content.decode()
    assert not Candidate.objects.exists()
    assert not Invitation.objects.exists()


def test_a_file_without_the_needed_columns_is_refused(cycle):
    """A header that lacks a column is reported against row 1."""
    with pytest.raises(TableError) as caught:
        candidates_import(cycle=cycle, content=b"exam_number,name\n1,x\n", filename="c.csv")
    assert {(e.row, e.column) for e in caught.value.errors} == {(1, "email"), (1, "exam_score"), (1, "exam_rank")}


def test_a_malformed_workbook_is_refused(cycle):
    """A file named .xlsx that is not a workbook is reported, and nothing is saved."""
    with pytest.raises(TableError):
        candidates_import(cycle=cycle, content=b"PK\x03\x04 not really", filename="c.xlsx")
    assert not Candidate.objects.exists()


def test_reimporting_updates_by_exam_number_even_when_ranks_swap(cycle):
    """A second import updates the same candidates instead of adding copies, and ranks may trade places."""
    candidates_import(cycle=cycle, content=CANDIDATES_CSV.encode(), filename="c.csv", send_invitations=False)
    swapped = (
        "exam_number,name,email,exam_score,exam_rank\n"
        "30120001,王大明,wang@example.com,80.00,2\n"
        "30120002,李小華,lee@example.com,88.50,1\n"
    )
    report = candidates_import(cycle=cycle, content=swapped.encode(), filename="c.csv",
                                        send_invitations=False)
    assert (report.created, report.updated) == (0, 2)
    assert list(cycle.candidates.order_by("exam_rank").values_list("exam_number", flat=True)) == [
        "30120002", "30120001"]


def test_an_import_may_not_take_a_rank_held_by_a_candidate_outside_the_file(cycle):
    """A rank that belongs to a candidate the file does not mention is reported."""
    CandidateFactory(cycle=cycle, exam_number="999", exam_rank=1)
    with pytest.raises(TableError) as caught:
        candidates_import(cycle=cycle, content=CANDIDATES_CSV.encode(), filename="c.csv")
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "exam_rank")]


def test_candidates_import_from_xlsx_with_chinese_headers(cycle):
    """An XLSX workbook with the exam authority's Chinese column names imports like a CSV file."""
    content = _xlsx([
        ["准考證號碼", "姓名", "電子郵件", "成績", "名次"],
        [30120009, "陳一", "chen@example.com", 77.25, 1],
    ])
    candidates_import(cycle=cycle, content=content, filename="c.xlsx", send_invitations=False)
    candidate = cycle.candidates.get()
    assert (candidate.exam_number, candidate.exam_score, candidate.exam_rank) == ("30120009", Decimal("77.25"), 1)


def test_a_vacancy_import_refuses_unknown_offices_and_negative_seats(cycle):
    """An unknown office and negative seats are both reported, and no vacancy is saved."""
    office = LandOfficeFactory(code="TPE-A")
    content = f"office,seats\nTPE-A,-1\nNOPE,2\n{office.name},1\n".encode()
    with pytest.raises(TableError) as caught:
        vacancies_import(cycle=cycle, content=content, filename="v.csv")
    assert {(e.row, e.column) for e in caught.value.errors} == {(2, "seats"), (3, "office"), (4, "office")}
    assert not Vacancy.objects.exists()


def test_a_vacancy_reimport_updates_seats_by_office(cycle):
    """Importing vacancies again changes the seats of the same rows."""
    LandOfficeFactory(code="TPE-A")
    vacancies_import(cycle=cycle, content=b"office,seats\nTPE-A,2\n", filename="v.csv")
    report = vacancies_import(cycle=cycle, content=b"office,seats\ntpe-a,3\n", filename="v.csv")
    assert report.updated == 1
    assert list(Vacancy.objects.values_list("seats", flat=True)) == [3]


def test_imports_close_at_the_preference_deadline(client, cycle):
    """After the preference deadline an import is refused with a message and saves nothing."""
    cycle.preferences_until = clock.now() - timedelta(minutes=1)
    cycle.save()
    client.force_login(make_user(Role.EXAM_STAFF))
    response = client.post(_import_url(cycle, "candidates"),
                           {"file": SimpleUploadedFile("c.csv", CANDIDATES_CSV.encode())}, follow=True)
    assert "截止時間已過" in str(list(response.context["messages"])[0])
    assert not Candidate.objects.exists()


def test_the_ui_import_reports_what_it_did(client, cycle):
    """A good upload redirects to the cycle page with the counts."""
    client.force_login(make_user(Role.EXAM_STAFF))
    response = client.post(_import_url(cycle, "candidates"),
                           {"file": SimpleUploadedFile("c.csv", CANDIDATES_CSV.encode())}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("placement:cycle_detail", kwargs={"pk": cycle.pk})
    assert cycle.candidates.count() == 2


def test_suitability_scores_import_per_office_and_refuse_unknown_exam_numbers(cycle):
    """Scores attach to the office's candidates; an unknown exam number imports nothing."""
    office = LandOfficeFactory()
    candidate = CandidateFactory(cycle=cycle, exam_number="A1")
    with pytest.raises(TableError):
        suitability_import(cycle=cycle, office=office, content=b"exam_number,score\nA1,4\nZZ,3\n",
                                    filename="s.csv")
    assert not SuitabilityScore.objects.exists()
    suitability_import(cycle=cycle, office=office, content=b"exam_number,score\nA1,4.5\n", filename="s.csv")
    assert SuitabilityScore.objects.get().candidate == candidate


def test_an_import_never_overwrites_a_score_the_focus_group_finalised(cycle):
    """A finalised focus-group score is refused by row; the file imports nothing; the score keeps its source."""
    office = LandOfficeFactory()
    finalised = CandidateFactory(cycle=cycle, exam_number="A1")
    other = CandidateFactory(cycle=cycle, exam_number="A2")
    SuitabilityScore.objects.create(office=office, candidate=finalised, score=Decimal("8"),
                                    source=SuitabilityScore.Source.FOCUS_GROUP)
    with pytest.raises(TableError) as refused, translation.override("en"):
        suitability_import(cycle=cycle, office=office, content=b"exam_number,score\nA2,3\nA1,4\n",
                                    filename="s.csv")
    [error] = refused.value.errors
    assert (error.row, error.column) == (3, "exam_number")
    assert "focus group" in str(error.message)
    score = SuitabilityScore.objects.get(candidate=finalised)
    assert (score.score, score.source) == (Decimal("8"), SuitabilityScore.Source.FOCUS_GROUP)
    assert not SuitabilityScore.objects.filter(candidate=other).exists()
    # Repeating the finalised value changes nothing, so a file exported after the focus group still imports.
    report = suitability_import(cycle=cycle, office=office, content=b"exam_number,score\nA2,3\nA1,8\n",
                                         filename="s.csv")
    assert (report.created, report.unchanged) == (1, 1)
    assert SuitabilityScore.objects.get(candidate=finalised).source == SuitabilityScore.Source.FOCUS_GROUP


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_have_the_shape_the_import_reads(client, cycle, fmt):
    """An exported candidate file imports back without changes."""
    CandidateFactory(cycle=cycle, exam_number="A1", exam_rank=1)
    client.force_login(make_user(Role.EXAM_STAFF))
    response = client.get(reverse("placement:cycle_export", kwargs={"pk": cycle.pk, "kind": "candidates"}),
                          {"format": fmt})
    assert response.status_code == 200
    if fmt == "xlsx":
        rows = list(load_workbook(io.BytesIO(response.content)).active.values)
        assert rows[0] == tuple(CANDIDATE_COLUMNS + CANDIDATE_RESIDENCE_COLUMNS)
    report = candidates_import(cycle=cycle, content=response.content, filename=f"c.{fmt}",
                                        send_invitations=False)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_import_and_export_commands(tmp_path, cycle):
    """The management commands import a file and write it back out; a bad file raises and saves nothing."""
    source = tmp_path / "c.csv"
    source.write_text(CANDIDATES_CSV, encoding="utf-8")
    call_command("placement_import", "candidates", str(source), "--no-invitations")
    assert cycle.candidates.count() == 2
    target = tmp_path / "out.xlsx"
    call_command("placement_export", "candidates", str(target))
    header, first, *_rest = list(load_workbook(target).active.values)
    # Every value has its header, the residence columns included, so the file imports again as it is.
    assert len(header) == len(first) and header[-2:] == ("residence_county", "residence_district")
    assert first[0] == "30120001"
    report = candidates_import(cycle=cycle, content=target.read_bytes(), filename="out.xlsx", send_invitations=False)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    bad = tmp_path / "v.csv"
    bad.write_text("office,seats\nNOPE,-3\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("placement_import", "vacancies", str(bad))


def test_residence_columns_are_imported_with_approximate_coordinates(cycle):
    """Chinese residence headers are understood; coordinates come from the land office in that district."""
    office = LandOfficeFactory(county="新竹縣", district="竹東鎮",
                               latitude=Decimal("24.73"), longitude=Decimal("121.09"))
    content = ("准考證號碼,姓名,電子郵件,成績,名次,居住縣市,居住鄉鎮市區\n"
               "30120001,王大明,wang@example.com,88.50,1,新竹縣,竹東鎮\n").encode()
    candidates_import(cycle=cycle, content=content, filename="c.csv", send_invitations=False)
    candidate = Candidate.objects.get()
    assert (candidate.residence_county, candidate.residence_district) == ("新竹縣", "竹東鎮")
    assert (candidate.residence_latitude, candidate.residence_longitude) == (office.latitude, office.longitude)


def test_an_unknown_residence_county_is_a_row_error(cycle):
    """A residence county that is not a county of Taiwan is reported with its row and column; nothing is saved."""
    LandOfficeFactory(county="新竹縣")
    content = ("exam_number,name,email,exam_score,exam_rank,residence_county,residence_district\n"
               "30120001,王大明,wang@example.com,88.50,1,新竹縣,竹東鎮\n"
               "30120002,李小華,lee@example.com,80,2,Narnia,\n").encode()
    with pytest.raises(TableError) as error:
        candidates_import(cycle=cycle, content=content, filename="c.csv", send_invitations=False)
    assert [(e.row, e.column) for e in error.value.errors] == [(3, "residence_county")]
    assert not Candidate.objects.exists()
