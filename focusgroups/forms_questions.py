"""Forms of the questions to candidates; the services check the rules, the forms only the shape of the input."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField


class QuestionAskForm(forms.Form):
    text = forms.CharField(label=_("Question or request for evidence"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    reply_due_at = forms.DateTimeField(
        label=_("Reply by"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("No later than the cycle's focus-group deadline."))


class FollowUpForm(forms.Form):
    text = forms.CharField(label=_("Follow-up"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class CandidateReplyForm(forms.Form):
    text = forms.CharField(label=_("Your reply"), max_length=8000, required=False,
                           widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(label=_("Files (PDF, JPEG or PNG)"), required=False,
                              help_text=_("Optional: you may choose several files."))
    youtube_url = forms.CharField(label=_("YouTube link"), max_length=500, required=False,
                                  help_text=_("Optional: the address of a video page, e.g. https://youtu.be/…"))

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("text", "").strip() or cleaned.get("files") or cleaned.get("youtube_url", "").strip()):
            raise forms.ValidationError(_("Write a reply, attach a file or give a YouTube link."))
        return cleaned
