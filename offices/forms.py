"""The office profile's edit page: the facts form and the formsets of re-survey projects and instruments.

The forms check each rule of `offices.rules` field by field, so a mistake is shown next to its field; the services
check the same rules again, since they are the one way to write.
"""
from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import clock

from . import rules
from .models import OfficeInstrument, OfficeProfile, ResurveyProject
from .services import INSTRUMENT_FIELDS, PROFILE_FACT_FIELDS, RESURVEY_FIELDS


def _add_rule_errors(form: forms.BaseForm, errors: rules.Errors) -> None:
    for field, messages in errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, gettext(message))


class OfficeProfileForm(forms.ModelForm):
    """The facts of an office's profile; a draft may leave any of them empty."""

    class Meta:
        model = OfficeProfile
        fields = PROFILE_FACT_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in PROFILE_FACT_FIELDS if name.startswith(("field_conditions", "communication", "required",
                                                                 "culture"))
        }
        help_texts = {
            "field_survey_distance_km": _("How far staff usually travel to a field survey, one way."),
            "graphical_area_percent": _("Digitized and graphical shares add up to 100%."),
            "mountain_land_percent": _("Flat and mountain shares add up to 100%."),
            "latitude": _("Where the work is based, for the map and for distances from candidates' homes."),
            "contact_email": _("A public contact of the office; it is shown on the page for exam passers."),
        }

    def clean(self):
        cleaned = super().clean()
        facts = {field: cleaned.get(field) for field in PROFILE_FACT_FIELDS if field not in self.errors}
        _add_rule_errors(self, rules.profile_fact_errors(facts))
        return cleaned


class ResurveyProjectForm(forms.ModelForm):
    class Meta:
        model = ResurveyProject
        fields = RESURVEY_FIELDS

    def clean(self):
        cleaned = super().clean()
        _add_rule_errors(self, rules.resurvey_project_errors(
            year=cleaned.get("year"), area_hectares=cleaned.get("area_hectares"),
            parcel_count=cleaned.get("parcel_count"), today=clock.now().date(),
        ))
        return cleaned


class OfficeInstrumentForm(forms.ModelForm):
    class Meta:
        model = OfficeInstrument
        fields = INSTRUMENT_FIELDS

    def clean(self):
        cleaned = super().clean()
        _add_rule_errors(self, rules.instrument_errors(count=cleaned.get("count")))
        return cleaned


class BaseInstrumentFormSet(BaseInlineFormSet):
    """Instrument rows, one per kind: a kind listed twice is marked on each of its rows."""

    def clean(self):
        kept = [form for form in self.forms
                if not self._should_delete_form(form) and form.cleaned_data.get("kind")]
        repeated = rules.duplicate_kinds(form.cleaned_data["kind"] for form in kept)
        for form in kept:
            if form.cleaned_data["kind"] in repeated:
                form.add_error("kind", gettext("Each kind is listed once; change its count instead."))
        if not repeated:
            super().clean()


ResurveyProjectFormSet = inlineformset_factory(
    OfficeProfile, ResurveyProject, form=ResurveyProjectForm, extra=1, can_delete=True,
)
OfficeInstrumentFormSet = inlineformset_factory(
    OfficeProfile, OfficeInstrument, form=OfficeInstrumentForm, formset=BaseInstrumentFormSet, extra=1,
    can_delete=True, max_num=len(OfficeInstrument._meta.get_field("kind").choices),
)
