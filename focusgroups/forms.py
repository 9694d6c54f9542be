"""Forms of the focus-group pages; the services check the rules, the forms only the shape of the input."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SCALE_MAX, SCALE_MIN

SCORE_CHOICES = [("", _("Not scored yet"))] + [(str(level), str(level)) for level in range(SCALE_MIN, SCALE_MAX + 1)]


class VersionField(forms.IntegerField):
    """The version of the group the page was read at, so a second tab's stale post is refused."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=0, **kwargs)


class VersionForm(forms.Form):
    version = VersionField()


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254,
                             help_text=_("Someone without an account is invited to the office as a member."))


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=120)
    name_en = forms.CharField(label=_("Criterion (English)"), max_length=120, required=False)
    weight = forms.DecimalField(label=_("Weight"), min_value=0.01, max_digits=5, decimal_places=2)
    level_1 = forms.CharField(label=_("Level 1"), max_length=500)
    level_2 = forms.CharField(label=_("Level 2"), max_length=500)
    level_3 = forms.CharField(label=_("Level 3"), max_length=500)
    level_4 = forms.CharField(label=_("Level 4"), max_length=500)
    level_5 = forms.CharField(label=_("Level 5"), max_length=500)
    level_en_1 = forms.CharField(label=_("Level 1 (English)"), max_length=500, required=False)
    level_en_2 = forms.CharField(label=_("Level 2 (English)"), max_length=500, required=False)
    level_en_3 = forms.CharField(label=_("Level 3 (English)"), max_length=500, required=False)
    level_en_4 = forms.CharField(label=_("Level 4 (English)"), max_length=500, required=False)
    level_en_5 = forms.CharField(label=_("Level 5 (English)"), max_length=500, required=False)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True, max_num=12, validate_max=True)


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=600, initial=60)
    meeting_url = forms.URLField(label=_("Meeting link"), max_length=500, assume_scheme="https")
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class SessionRecordForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    attendees = forms.MultipleChoiceField(label=_("Attendance"), required=False,
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(str(member.pk), str(member)) for member in members]


class RosterForm(forms.Form):
    version = VersionField()
    candidates = forms.MultipleChoiceField(label=_("Candidates on the roster"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].choices = [(str(candidate.pk), f"{candidate.exam_rank}. {candidate.name}")
                                             for candidate in candidates]


class AdjustForm(forms.Form):
    version = VersionField()
    adjustment = forms.CharField(label=_("Consensus adjustment"), max_length=12, required=False,
                                 help_text=_("From −2 to 2, added to the aggregate."))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReopenForm(forms.Form):
    rater = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why reopen these scores?"), max_length=1000)


class FinaliseForm(forms.Form):
    version = VersionField()
    missing_scores_reason = forms.CharField(
        label=_("Reason for finalising with missing scores"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    video = forms.IntegerField(widget=forms.HiddenInput)
    at_seconds = forms.IntegerField(label=_("Time in the video (seconds)"), min_value=0)
    text = forms.CharField(label=_("Note"), max_length=1000)
