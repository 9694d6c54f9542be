"""The address list of a publication email is gone: each row names its one recipient (see migration 0013)."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("placement", "0013_publication_email_per_recipient"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="publicationemail",
            name="to",
        ),
        migrations.AddConstraint(
            model_name="publicationemail",
            constraint=models.UniqueConstraint(fields=("publication", "office", "recipient"),
                                               name="one_placements_email_per_office_recipient"),
        ),
    ]
