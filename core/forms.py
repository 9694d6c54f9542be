"""Form fields every app's forms share."""
from django import forms

# What a browser's file picker offers for evidence; the server still checks each file by its content.
EVIDENCE_ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files at once; the services check each by its content.

    `accept` is the browser's hint of the file types to offer; empty slots of the list are skipped.
    """

    def __init__(self, *args, accept: str = EVIDENCE_ACCEPT, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []
