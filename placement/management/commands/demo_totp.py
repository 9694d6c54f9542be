import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from accounts.roles import STAFF_ROLES
from placement.demo import DEMO_ACCOUNTS, demo_totp_secret


class Command(BaseCommand):
    help = "Print the current TOTP code of every demo staff account (demo data only)."

    def handle(self, *args, **options):
        counter = int(time.time()) // 30
        remaining = 30 - int(time.time()) % 30
        for spec in DEMO_ACCOUNTS:
            if spec.role in STAFF_ROLES:
                code = format_hotp_value(hotp_value(demo_totp_secret(spec.email), counter))
                self.stdout.write(f"{spec.email:<34} {code}")
        self.stdout.write(f"(valid for about {remaining} more seconds)")
