from django.db import migrations


class Migration(migrations.Migration):
    """MediaEvent's rows now live in the one audit history (the previous migration copied them there)."""

    dependencies = [
        ('media_pipeline', '0004_media_events_into_audit_history'),
    ]

    operations = [
        migrations.DeleteModel(
            name='MediaEvent',
        ),
    ]
