"""Texts of Django that our catalogue translates again, in the platform's voice (您, never 你).

Django's own zh_Hant catalogue addresses people as 你 in its password rules, while every page of ours says 您.
Naming the texts here keeps makemessages from dropping them from our catalogue, which comes first in
LOCALE_PATHS, so our translations win over the library's.
"""
from django.utils.translation import gettext_noop, ngettext_lazy

PASSWORD_RULES = [
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    ngettext_lazy("Your password must contain at least %(min_length)d character.",
                  "Your password must contain at least %(min_length)d characters.", "min_length"),
]
