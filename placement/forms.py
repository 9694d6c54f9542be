from decimal import Decimal

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField

from .geo import TAIWAN_COUNTIES, TOWNSHIPS, place_name
from .models import PHASE_DEADLINE_FIELDS, CandidateDataView, ExamCycle, PlacementRun, PlaceResponse
from .services.candidates import residence_problem


class DeadlinesForm(forms.ModelForm):
    class Meta:
        model = ExamCycle
        fields = [field for _phase, field in PHASE_DEADLINE_FIELDS]
        widgets = {field: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
                   for field in fields}
        help_texts = {field: _("Asia/Taipei time. Leave empty to keep the phase open.") for field in fields}

    # Only needed for a change that moves the cycle back to a phase that has ended; the service says so when it is.
    confirm = forms.BooleanField(label=_("Reopen the phase that has ended"), required=False)
    reason = forms.CharField(label=_("Reason for reopening"), required=False, max_length=500,
                             help_text=_("Needed only to reopen a phase that has ended; kept in the audit history."))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if offices is not None:
            self.fields["office"] = OfficeChoiceField(queryset=offices, label=_("Land office"))
            self.order_fields(["office", "file"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class RunForm(forms.Form):
    policy = forms.ChoiceField(label=_("Policy"), choices=PlacementRun.Policy.choices)
    exam_weight = forms.DecimalField(
        label=_("Exam weight (blended policy)"), min_value=0, max_value=1, decimal_places=3, initial="0.700",
        help_text=_("1 ranks by exam alone; 0 by suitability alone. The exam-rank policy ignores it."),
    )
    seed = forms.IntegerField(label=_("Lottery seed"), required=False, min_value=0, max_value=2**62,
                              help_text=_("Breaks exact ties. Leave empty to draw one; it is stored with the run."))


class OfficeChoiceField(forms.ModelChoiceField):
    """A land office, named in the page's language."""

    def label_from_instance(self, obj):
        return obj.display_name(get_language() or "")


class PublishForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), required=False, max_length=500,
                             help_text=_("Needed when this run replaces a published one."))

    def __init__(self, *args, require_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The service refuses a correction without a reason; the page marks the field as needed then.
        self.fields["reason"].required = require_reason
        if not require_reason:
            self.fields["reason"].label = _("Note (optional)")
            self.fields["reason"].help_text = _("Kept with the publication in the audit history.")


class PlaceChoiceField(forms.ChoiceField):
    """A choice of a place name that also accepts the usual variant spelling (台北市 for 臺北市)."""

    def to_python(self, value):
        return place_name(super().to_python(value))


class DistrictChoiceField(PlaceChoiceField):
    """A district; whether it belongs to the chosen county is checked by the form, with a message that names both."""

    def valid_value(self, value):
        return True


class DistrictSelect(forms.Select):
    """Districts grouped by county; the chosen district is marked only under the chosen county.

    Several counties have a district of the same name (東區, 中正區, 信義區 …), so a plain select would mark the
    first one it meets.
    """

    county = ""

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, [], attrs)
        for group_name, options, _index in groups:
            for option in options:
                if group_name in (None, self.county) and option["value"] in value:
                    option["selected"] = True
                    option["attrs"]["selected"] = True
        return groups


class ResidenceForm(forms.Form):
    county = PlaceChoiceField(label=_("County or city where you live"))
    district = DistrictChoiceField(label=_("District, township or city"), required=False, widget=DistrictSelect,
                                help_text=_("Choose it under your county or city. Distances are approximate."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", "—"), *((county, county) for county in TAIWAN_COUNTIES)]
        # Every county's own districts, as a group of its own, so the page needs no script to offer them.
        self.fields["district"].choices = [
            ("", "—"), *((county, [(name, name) for name in TOWNSHIPS[county]]) for county in TAIWAN_COUNTIES)]
        county = self.data.get("county", "") if self.is_bound else self.initial.get("county", "")
        self.fields["district"].widget.county = place_name(county or "")

    def clean(self):
        data = super().clean()
        if data.get("county"):
            problem = residence_problem(data["county"], data.get("district", ""))
            if problem is not None:
                field, message = problem
                self.add_error(field.removeprefix("residence_"), message)
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why do you decline the place?"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class DeferralForm(forms.Form):
    deferral_reason = forms.ChoiceField(label=_("Reason for deferring"),
                                        choices=PlaceResponse.DeferralReason.choices)
    reason = forms.CharField(label=_("Explain your request"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Evidence (PDF, JPEG or PNG)"), required=False,
                              help_text=_("For example a conscription notice, a medical certificate or an admission "
                                          "letter. You may choose several files."))


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda value: value == "yes",
                                     choices=[("yes", _("Approve")), ("no", _("Refuse"))],
                                     widget=forms.RadioSelect)
    decision_reason = forms.CharField(label=_("Reason"), max_length=2000, required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))


class ReportByForm(forms.ModelForm):
    class Meta:
        model = ExamCycle
        fields = ["report_by", "round_preferences_until"]
        widgets = {name: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
                   for name in fields}
        help_texts = {"round_preferences_until": _("Optional: until then, candidates who hold no seat may change "
                                                   "their preference list for the next supplementary round.")}


class LateVacancyForm(forms.Form):
    seats = forms.IntegerField(label=_("New seats"), min_value=1, max_value=50, initial=1)
    reason = forms.CharField(label=_("Why are the seats new?"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("For example a retirement, a transfer or a new post."))


class RoundForm(forms.Form):
    policy = forms.ChoiceField(label=_("Policy"), choices=PlacementRun.Policy.choices)
    exam_weight = forms.DecimalField(label=_("Exam weight (blended policy)"), min_value=0, max_value=1,
                                     decimal_places=3, initial=Decimal("0.7"))
    seed = forms.IntegerField(label=_("Lottery seed"), required=False, min_value=0,
                              help_text=_("Empty: drawn at random and recorded, so the round can be replayed."))


class AccessLogFilterForm(forms.Form):
    """The access log's filters: part of the viewer's email address, and views of one kind or changes only."""

    viewer = forms.CharField(label=_("Viewer"), required=False, max_length=254,
                             help_text=_("All or part of the person's email address."))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[
        ("", _("Views and changes")), ("change", _("Changes")), *CandidateDataView.What.choices])
