from django import forms
from django.utils.translation import gettext_lazy as _


class YouTubeLinkForm(forms.Form):
    url = forms.CharField(label=_("YouTube link"), max_length=500,
                          help_text=_("The address of the video page, e.g. https://youtu.be/…"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class UploadStartForm(forms.Form):
    """What the browser says about a file before sending it; the server checks the content afterwards."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file_name = forms.CharField(max_length=255)
    size = forms.IntegerField(min_value=1)
    content_type = forms.CharField(max_length=100, required=False)


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))


class EvidenceAttachForm(forms.Form):
    """Choose which of the owner's videos a file supports; none means the portfolio as a whole."""

    video = forms.ModelChoiceField(label=_("Supports"), queryset=None, required=False,
                                   empty_label=_("The portfolio as a whole"))

    def __init__(self, *args, videos, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["video"].queryset = videos
