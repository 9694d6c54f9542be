"""The question bank imports and exports in one shape, all rows or none, with a row-by-row error table."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.audit import event_name, history_for
from practice.models import Question
from practice.services.imports import question_bank_import
from tests.practice.conftest import make_question

pytestmark = pytest.mark.django_db

HEADER = "category,text,choice_a,choice_b,choice_c,choice_d,choice_e,choice_f,right,explanation\n"
GOOD_ROWS = (
    "cadastral_survey,圖解區複丈以何者為準？,地籍圖,坐標,,,,,A,圖解區依地籍圖。\n"
    "Surveying law,地籍測量實施規則之主管機關？,內政部,縣市政府,地政事務所,,,,\"A,B\",中央與地方。\n"
)


def _upload(client, office, content: str, name="bank.csv"):
    return client.post(reverse("practice:bank_import", kwargs={"code": office.code}),
                       {"file": SimpleUploadedFile(name, content.encode())})


def test_an_import_creates_every_row_with_its_right_answers(staff_client, office, staff_user):
    """Both rows become questions; categories are read by code or by name; the import is in the history."""
    assert _upload(staff_client, office, HEADER + GOOD_ROWS).status_code == 302
    first, second = Question.objects.order_by("position")
    assert (first.category, second.category) == ("cadastral_survey", "surveying_law")
    assert [c.is_correct for c in second.choices.all()] == [True, True, False]
    entry = history_for(office).first()
    assert event_name(entry) == "question_bank.imported" and entry.actor == staff_user
    assert entry.additional_data["created"] == 2


def test_an_import_with_one_bad_row_imports_nothing_and_shows_the_row_error(staff_client, office):
    """A row without a right answer and an unknown category are listed by row and column; nothing is saved."""
    bad = "gis_cartography,比例尺？,1/500,1/1000,,,,,,\nastrology,星座？,甲,乙,,,,,A,\n"
    response = _upload(staff_client, office, HEADER + GOOD_ROWS + bad)
    assert response.status_code == 400
    assert [(e.row, e.column, e.message) for e in response.context["row_errors"]] == [
        (4, "right", "Mark at least one choice as a right answer."),
        (5, "category", "No category is called astrology."),
    ]
    page = response.content.decode()
    assert "Nothing was imported: the file has 2 problems." in page and "No category is called astrology." in page
    assert not Question.objects.exists()


def test_the_export_re_imports_unchanged(staff_client, office):
    """Exported CSV and XLSX files import back with every question unchanged and no copy added."""
    make_question(office, right=(1, 3), explanation="說明,含逗號\n與換行")
    make_question(office, "第二題", choices=["甲", "乙"], right=(0,))
    before = [(q.text, q.explanation, [(c.text, c.is_correct) for c in q.choices.all()])
              for q in Question.objects.prefetch_related("choices")]
    for fmt in ("csv", "xlsx"):
        exported = staff_client.get(reverse("practice:bank_export", kwargs={"code": office.code}), {"format": fmt})
        assert exported.status_code == 200
        report = question_bank_import(office=office, content=exported.content, filename=f"bank.{fmt}",
                                      acting_user=None)
        assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    after = [(q.text, q.explanation, [(c.text, c.is_correct) for c in q.choices.all()])
             for q in Question.objects.prefetch_related("choices")]
    assert after == before


def test_a_re_import_updates_a_question_by_its_text(office):
    make_question(office, "圖解區複丈以何者為準？", choices=["地籍圖", "坐標"], right=(1,))
    report = question_bank_import(office=office, content=(HEADER + GOOD_ROWS).encode(), filename="b.csv",
                                  acting_user=None)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert [c.is_correct for c in Question.objects.get(text="圖解區複丈以何者為準？").choices.all()] == [True, False]


def test_an_import_into_another_office_answers_404(staff_client, other_office):
    assert _upload(staff_client, other_office, HEADER + GOOD_ROWS).status_code == 404
    assert not Question.objects.exists()
