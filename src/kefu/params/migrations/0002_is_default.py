from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("params", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="parametervalue",
            name="is_default",
            field=models.BooleanField(default=False),
        ),
    ]
