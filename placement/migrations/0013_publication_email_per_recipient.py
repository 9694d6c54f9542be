"""A publication email row holds one address: an office's email to several staff becomes one row per address, so
that a refused address is retried on its own; each row also counts its sending attempts.

The old column goes in the next migration: PostgreSQL refuses to alter a table in the transaction that wrote rows
whose deferred foreign-key checks are still pending."""
from django.db import migrations, models


def split(apps, schema_editor):
    PublicationEmail = apps.get_model("placement", "PublicationEmail")
    for email in PublicationEmail.objects.all().order_by("pk"):
        addresses = list(email.to or [])
        email.recipient = addresses[0] if addresses else ""
        email.save(update_fields=["recipient"])
        for address in addresses[1:]:
            PublicationEmail.objects.create(
                publication_id=email.publication_id, assignment_id=email.assignment_id, office_id=email.office_id,
                to=[address], recipient=address, claimed_at=email.claimed_at, sent_at=email.sent_at,
                error=email.error,
            )


def merge(apps, schema_editor):
    # Back to one row per office: the first row of each office keeps every address, the others go.
    PublicationEmail = apps.get_model("placement", "PublicationEmail")
    kept: dict[tuple[int, int], object] = {}
    for email in PublicationEmail.objects.all().order_by("pk"):
        if email.office_id is None:
            email.to = [email.recipient]
            email.save(update_fields=["to"])
            continue
        first = kept.setdefault((email.publication_id, email.office_id), email)
        if first is email:
            first.to = [email.recipient]
        else:
            first.to.append(email.recipient)
            email.delete()
    for email in kept.values():
        email.save(update_fields=["to"])


class Migration(migrations.Migration):

    dependencies = [
        ("placement", "0012_published_tables_refuse_truncate"),
    ]

    operations = [
        migrations.AddField(
            model_name="publicationemail",
            name="recipient",
            field=models.EmailField(default="", max_length=254, verbose_name="recipient"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="publicationemail",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="attempts"),
        ),
        migrations.RemoveConstraint(
            model_name="publicationemail",
            name="one_placements_email_per_office",
        ),
        migrations.RunPython(split, merge),
    ]
