from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EvidenceFile, Video

# A title longer than its column is refused with this message, in place of Django's general one.
TITLE_TOO_LONG = _("A title can have at most %(limit_value)d characters; this one has %(show_value)d. Shorten it.")


def _title_field(model) -> forms.CharField:
    return forms.CharField(label=_("Title"), max_length=model._meta.get_field("title").max_length, required=False,
                           error_messages={"max_length": TITLE_TOO_LONG})


class YouTubeLinkForm(forms.Form):
    url = forms.CharField(label=_("YouTube link"), max_length=500,
                          help_text=_("The address of the video page, e.g. https://youtu.be/…"))
    title = _title_field(Video)


class UploadStartForm(forms.Form):
    """What the browser says about a file before sending it; the server checks the content afterwards."""

    title = _title_field(Video)
    file_name = forms.CharField(max_length=255)
    size = forms.IntegerField(min_value=1)
    content_type = forms.CharField(max_length=100, required=False)


class EvidenceForm(forms.Form):
    title = _title_field(EvidenceFile)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))


class EvidenceAttachForm(forms.Form):
    """Choose which of the owner's videos a file supports; none means the portfolio as a whole."""

    video = forms.ModelChoiceField(label=_("Supports"), queryset=None, required=False,
                                   empty_label=_("The portfolio as a whole"))

    def __init__(self, *args, videos, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["video"].queryset = videos
