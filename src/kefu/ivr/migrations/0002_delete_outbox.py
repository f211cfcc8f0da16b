"""The outbox is replaced by the outlets' messages, which copied its rows first (docs/decisions/0026-outlets.md)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ivr", "0001_initial"), ("outlets", "0003_ivr_outbox_history")]
    operations = [migrations.DeleteModel(name="Outbox")]
