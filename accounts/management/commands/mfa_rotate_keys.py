from django.core.management.base import BaseCommand

from accounts.services import mfa_secrets_reseal


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored TOTP secret and recovery-code seed with the first key of MFA_ENCRYPTION_KEYS. "
        "Put the new key first, keep the old ones after it, run this, then remove the old keys."
    )

    def handle(self, *args, **options):
        changed = mfa_secrets_reseal()
        self.stdout.write(f"Re-encrypted {changed} authenticator(s) with the newest key.")
