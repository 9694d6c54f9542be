"""Encrypt the TOTP secrets and recovery-code seeds that allauth stored in clear before the MFA adapter did."""
from django.conf import settings
from django.db import migrations

from accounts import secretbox


def _box():
    return secretbox.SecretBox(secretbox.keys_for(getattr(settings, "MFA_ENCRYPTION_KEYS", []), settings.SECRET_KEY))


def _rewrite(apps, change):
    Authenticator = apps.get_model("mfa", "Authenticator")
    box = _box()
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]).iterator():
        data = change(authenticator.type, authenticator.data, box)
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt_secrets(apps, schema_editor):
    _rewrite(apps, secretbox.resealed_data)


def decrypt_secrets(apps, schema_editor):
    # Going back leaves the secrets as allauth keeps them without an encrypting adapter.
    _rewrite(apps, secretbox.opened_data)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
