"""Forms of the practice pages; each problem is reported on its field, in the user's language."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField

from .columns import CHOICE_COLUMNS
from .models import Category
from .scoring import CHOICE_LETTERS, choice_problems
from .services.shared import CHOICE_PROBLEM_MESSAGES, PracticeError, uploaded_file_checked

ATTACHMENT_ACCEPT = ".pdf,.jpg,.jpeg,.png,.xlsx,.csv,.txt"
# Where each problem of a question's choices is shown on the form.
CHOICE_PROBLEM_FIELDS = {"too_few": "choice_a", "too_many": "choice_a", "no_right_answer": "right",
                         "right_without_text": "right"}


def _checked_upload(uploaded_file):
    try:
        uploaded_file_checked(uploaded_file)
    except PracticeError as error:
        raise forms.ValidationError(str(error)) from error
    return uploaded_file


class QuestionForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    choice_a = forms.CharField(label=_("Choice A"), max_length=500, required=False)
    choice_b = forms.CharField(label=_("Choice B"), max_length=500, required=False)
    choice_c = forms.CharField(label=_("Choice C"), max_length=500, required=False)
    choice_d = forms.CharField(label=_("Choice D"), max_length=500, required=False)
    choice_e = forms.CharField(label=_("Choice E"), max_length=500, required=False)
    choice_f = forms.CharField(label=_("Choice F"), max_length=500, required=False)
    right = forms.MultipleChoiceField(
        label=_("Right answers"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(letter, letter) for letter in CHOICE_LETTERS],
        help_text=_("One or more: a candidate scores the question only by choosing exactly these."),
    )
    explanation = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Shown to the candidate right after submitting."))
    is_published = forms.BooleanField(label=_("Published"), required=False, initial=True)

    @classmethod
    def initial_for(cls, question, choices: list[tuple[str, bool]]) -> dict:
        """Return the form's initial values for an existing question and its choices."""
        initial = {"category": question.category, "text": question.text, "explanation": question.explanation,
                   "is_published": question.is_published,
                   "right": [letter for letter, (_text, is_right) in zip(CHOICE_LETTERS, choices, strict=False)
                             if is_right]}
        initial.update({column: text for column, (text, _right) in zip(CHOICE_COLUMNS, choices, strict=False)})
        return initial

    def choices(self) -> list[tuple[str, bool]]:
        right = set(self.cleaned_data.get("right") or ())
        return [(self.cleaned_data.get(column) or "", letter in right)
                for letter, column in zip(CHOICE_LETTERS, CHOICE_COLUMNS, strict=True)]

    def clean(self):
        cleaned = super().clean()
        for code in choice_problems(self.choices()):
            self.add_error(CHOICE_PROBLEM_FIELDS[code], str(CHOICE_PROBLEM_MESSAGES[code]()))
        return cleaned


class TaskForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    instructions = forms.CharField(label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 5}))
    good_answer = forms.CharField(label=_("What a good answer shows"), widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(
        label=_("Attachment"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
        help_text=_("Optional: a field sketch or a data file (PDF, JPEG, PNG, XLSX, CSV or plain text)."),
    )
    remove_attachment = forms.BooleanField(label=_("Remove the current attachment"), required=False)
    is_published = forms.BooleanField(label=_("Published"), required=False, initial=True)

    def __init__(self, *args, has_attachment: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_attachment:
            del self.fields["remove_attachment"]

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        return _checked_upload(upload) if upload else None


class TaskAnswerForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 8}))
    files = MultipleFileField(
        accept=ATTACHMENT_ACCEPT, label=_("Files"), required=False,
        help_text=_("Optional: your computation, sketch or photos (PDF, JPEG, PNG, XLSX, CSV or plain text)."),
    )

    def clean_files(self):
        return [_checked_upload(upload) for upload in self.cleaned_data.get("files") or []]


class AttemptForm(forms.Form):
    """One group of checkboxes per question, named by the question's id; any question may be left unanswered."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            self.fields[f"question_{question.pk}"] = forms.TypedMultipleChoiceField(
                label=f"{number}. {question.text}", required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
                choices=[(choice.pk, f"{letter}. {choice.text}")
                         for letter, choice in zip(CHOICE_LETTERS, question.choices.all(), strict=False)],
            )

    def chosen(self) -> dict[int, list[int]]:
        return {question.pk: self.cleaned_data.get(f"question_{question.pk}") or [] for question in self.questions}
