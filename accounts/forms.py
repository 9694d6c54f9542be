from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .limits import EMAIL_MAX_LENGTH, EMAIL_TOO_LONG, NAME_MAX_LENGTH, NAME_TOO_LONG
from .models import Invitation, User
from .roles import OFFICE_ROLES, Role

# The office and cycle models are the ones an invitation's foreign keys name, so the form imports no other app.
LandOffice = Invitation._meta.get_field("office").related_model
ExamCycle = Invitation._meta.get_field("cycle").related_model


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=EMAIL_MAX_LENGTH,
                             error_messages={"max_length": EMAIL_TOO_LONG})
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    office = forms.ModelChoiceField(
        label=_("Land office"), queryset=LandOffice.objects.all(), required=False,
        help_text=_("Required for land office staff and focus group roles."),
    )
    cycle = forms.ModelChoiceField(
        label=_("Exam cycle"), queryset=ExamCycle.objects.all(), required=False,
        help_text=_("Required for candidates."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = ExamCycle.objects.filter(is_current=True).first()
        if current and not self.is_bound:
            self.initial.setdefault("cycle", current.pk)

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role in OFFICE_ROLES and not cleaned.get("office"):
            self.add_error("office", _("Choose the land office this person works at."))
        if role == Role.CANDIDATE and not cleaned.get("cycle"):
            self.add_error("cycle", _("Choose the exam cycle this candidate belongs to."))
        return cleaned


class InvitationAcceptForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=NAME_MAX_LENGTH,
                           error_messages={"max_length": NAME_TOO_LONG})
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=password_validation.password_validators_help_text_html())
    password2 = forms.CharField(label=_("Password (again)"),
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            try:
                password_validation.validate_password(password1, User(email=self.email, name=cleaned.get("name", "")))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
