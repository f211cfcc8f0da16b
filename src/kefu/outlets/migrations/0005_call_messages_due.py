"""Messages of call outlets waited with no due time while calls could not be placed; they are due now."""

from django.db import migrations
from django.utils import timezone


def due_now(apps, schema_editor):
    Message = apps.get_model("outlets", "Message")
    Message.objects.filter(outlet__kind="call", status="queued", next_attempt_at__isnull=True).update(
        next_attempt_at=timezone.now(), status_reason="")


class Migration(migrations.Migration):
    dependencies = [("outlets", "0004_message_priority_inbound_keyword")]

    operations = [migrations.RunPython(due_now, migrations.RunPython.noop)]
