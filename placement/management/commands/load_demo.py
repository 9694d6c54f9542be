from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import module_has_submodule

from accounts.roles import STAFF_ROLES, Role
from placement.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_load, demo_totp_secret
from placement.models import LandOffice


class Command(BaseCommand):
    help = "Load the demo data (land offices, an exam cycle, candidates, vacancies, a user per role); idempotent."

    def handle(self, *args, **options):
        cycle = demo_load()
        # Apps that build on placement add their own demo data from their `demo` module, in INSTALLED_APPS order,
        # so placement names none of them.
        for app_config in apps.get_app_configs():
            if app_config.name != "placement" and module_has_submodule(app_config.module, "demo"):
                import_module(f"{app_config.name}.demo").demo_load()
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {LandOffice.objects.count()} land offices; cycle {cycle.name} with "
            f"{cycle.candidates.count()} candidates and {cycle.vacancies.count()} offices with vacancies."
        ))
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD})\n")
        for spec in DEMO_ACCOUNTS:
            line = f"  {Role(spec.role).label:<22} {spec.email:<34}"
            if spec.role in STAFF_ROLES:
                line += f" TOTP secret {demo_totp_secret(spec.email)}"
            self.stdout.write(line)
        self.stdout.write(
            "\nStaff accounts sign in with two-factor authentication. Add the TOTP secret to an authenticator app, "
            "or print the current six-digit codes with:\n  .venv/bin/python manage.py demo_totp\n"
        )
