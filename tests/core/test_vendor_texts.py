"""Django's password rules read in the platform's voice: 您, as on every other page."""
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils import translation


def test_the_password_rules_say_您_not_你():
    with translation.override("zh-hant"):
        rules = password_validators_help_texts()
    assert len(rules) >= 3
    assert [rule for rule in rules if "你" in rule] == []
    assert any("您" in rule for rule in rules)
