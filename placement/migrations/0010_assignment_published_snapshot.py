"""Published rows keep what they show: the candidate's exam number, name and rank and the office's names, copied
when the run is published, and the publication keeps a hash of those rows."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("placement", "0009_round_preferences_window"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="exam_number",
            field=models.CharField(blank=True, max_length=20, null=True, verbose_name="exam number when published"),
        ),
        migrations.AddField(
            model_name="assignment",
            name="candidate_name",
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name="name when published"),
        ),
        migrations.AddField(
            model_name="assignment",
            name="exam_rank",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="exam rank when published"),
        ),
        migrations.AddField(
            model_name="assignment",
            name="office_code",
            field=models.CharField(blank=True, max_length=40, null=True, verbose_name="office code when published"),
        ),
        migrations.AddField(
            model_name="assignment",
            name="office_name",
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name="office name when published"),
        ),
        migrations.AddField(
            model_name="assignment",
            name="office_name_en",
            field=models.CharField(blank=True, max_length=150, null=True,
                                   verbose_name="English office name when published"),
        ),
        migrations.AddField(
            model_name="assignment",
            name="office_county",
            field=models.CharField(blank=True, max_length=20, null=True, verbose_name="county or city when published"),
        ),
        migrations.AddField(
            model_name="assignment",
            name="office_county_en",
            field=models.CharField(blank=True, max_length=40, null=True,
                                   verbose_name="county or city (English) when published"),
        ),
        migrations.AddField(
            model_name="publication",
            name="results_sha256",
            field=models.CharField(blank=True, max_length=64, null=True, verbose_name="SHA-256 of the published rows"),
        ),
    ]
