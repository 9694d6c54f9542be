from django import forms
from django.utils.translation import gettext_lazy as _

from .models import VideoDescription
from .services import Step
from .timecodes import TimecodeError, format_timecode, parse_timecode, within_duration


class SummaryForm(forms.Form):
    summary = forms.CharField(label=_("Summary of your portfolio"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("What a focus group should know first about your surveying work."))


class VideoDescriptionForm(forms.ModelForm):
    class Meta:
        model = VideoDescription
        fields = ["terrain", "instrument_make", "instrument_model", "weather", "visibility", "shows"]
        widgets = {"shows": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"instrument_make": _("For example Topcon, Leica, Sokkia, Trimble.")}


class TimecodeField(forms.Field):
    """A time in a video typed as seconds (95) or minutes:seconds (1:35); cleaned to whole seconds."""

    default_error_messages = {
        "invalid": _("Enter the time as seconds (95) or as minutes:seconds (1:35)."),
    }

    def prepare_value(self, value):
        return format_timecode(value) if isinstance(value, int) else value

    widget = forms.TextInput(attrs={"maxlength": 10, "size": 8})

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        try:
            return parse_timecode(text)
        except TimecodeError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class StepForm(forms.Form):
    text = forms.CharField(label=_("Step"), max_length=500, required=False)
    at_seconds = TimecodeField(label=_("Time in the video"), required=False,
                               help_text=_("Optional: seconds (95) or minutes:seconds (1:35)."))

    def __init__(self, *args, duration_seconds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.duration_seconds = duration_seconds

    def clean_at_seconds(self):
        at_seconds = self.cleaned_data["at_seconds"]
        if at_seconds is not None and not within_duration(at_seconds, self.duration_seconds):
            raise forms.ValidationError(
                _("The video ends at %(duration)s; choose a time within it."),
                code="after_end", params={"duration": format_timecode(self.duration_seconds)})
        return at_seconds

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("at_seconds") is not None and not (cleaned.get("text") or "").strip():
            self.add_error("text", _("Say what happens at this time."))
        return cleaned


class BaseStepFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not self.steps():
            raise forms.ValidationError(_("Describe at least one step of the procedure."))

    def steps(self) -> list[Step]:
        """Return the filled-in steps in the order the candidate put them, blank rows left out."""
        rows = [form for form in self.forms if (form.cleaned_data.get("text") or "").strip()]
        rows.sort(key=lambda form: (form.cleaned_data.get("ORDER") or len(self.forms) + 1, self.forms.index(form)))
        return [Step(text=form.cleaned_data["text"], at_seconds=form.cleaned_data.get("at_seconds")) for form in rows]


StepFormSet = forms.formset_factory(StepForm, formset=BaseStepFormSet, extra=3, can_order=True, max_num=60,
                                    validate_max=True)


class ConsentForm(forms.Form):
    offices = forms.TypedMultipleChoiceField(label=_("Offices whose focus groups may see your portfolio"),
                                             coerce=int, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, office_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offices"].choices = office_choices
