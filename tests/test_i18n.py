"""Traditional Chinese by default, English through the switch, and a compiled catalogue that matches its source."""
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hant" / "LC_MESSAGES"


@pytest.mark.django_db
def test_the_start_page_is_in_traditional_chinese_even_for_an_english_browser(client):
    """The default language is zh-Hant whatever the browser asks for."""
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert '<html lang="zh-Hant-TW">' in body
    assert "測量職系分發平台" in body
    assert response["Content-Language"] == "zh-hant"


@pytest.mark.django_db
def test_the_language_switch_turns_the_site_into_english_and_back(client):
    """Choosing English with the switch sticks for later pages; choosing Chinese returns."""
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body and "Sign in" in body
    client.post(reverse("set_language"), {"language": "zh-hant", "next": reverse("home")})
    assert "登入" in client.get(reverse("home")).content.decode()


def _po_entries(path: Path) -> dict[str, str]:
    """Parse msgid/msgstr pairs of singular entries from a .po file without extra dependencies."""
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        if any(line.startswith("msgid_plural") for line in lines):
            continue
        fields, field = {"msgid": "", "msgstr": ""}, None
        for line in lines:
            if line.startswith(("msgid ", "msgstr ")):
                field, _space, rest = line.partition(" ")
                fields[field] = _unquote(rest)
            elif line.startswith('"') and field:
                fields[field] += _unquote(line)
        if fields["msgid"]:
            entries[fields["msgid"]] = fields["msgstr"]
    return entries


def _unquote(text: str) -> str:
    return bytes(text.strip()[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def test_every_source_string_has_a_traditional_chinese_translation():
    """No singular entry in the zh-Hant catalogue is left untranslated."""
    entries = _po_entries(CATALOGUE / "django.po")
    assert len(entries) > 100
    assert [msgid for msgid, msgstr in entries.items() if not msgstr] == []


def test_the_compiled_catalogue_matches_its_source():
    """django.mo was compiled from the current django.po (run `make messages` after editing strings)."""
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    entries = _po_entries(CATALOGUE / "django.po")
    stale = [msgid for msgid, msgstr in entries.items() if compiled.gettext(msgid) != msgstr]
    assert stale == []


def test_templates_translate_their_visible_text():
    """Templates mark text for translation: no bare English sentence sits between tags."""
    offenders = []
    for template in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        if template.name in {"500.html"}:  # Bilingual on purpose: it renders without the template engine's i18n.
            continue
        text = re.sub(r"{% blocktranslate.*?{% endblocktranslate %}", "\n", template.read_text(encoding="utf-8"),
                      flags=re.S)
        text = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}|<[^>]+>", "\n", text, flags=re.S)
        for line in text.splitlines():
            if re.search(r"[A-Za-z]{3,}\s+[A-Za-z]{3,}", line.strip()):
                offenders.append(f"{template.name}: {line.strip()}")
    assert offenders == []
