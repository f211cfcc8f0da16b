"""The IVR's outbox becomes messages of the outlets (docs/decisions/0026-outlets.md).

Rows the outbox recorded were never sent; they are kept as history, marked
failed with the reason, and never sent late (a bill read out weeks ago is not
news). Their idempotency key is ``ivr-outbox-<id>``.
"""

from django.db import migrations

REASON = "Recorded by the IVR before messages were sent; not sent."


def copy(apps, schema_editor):
    Outbox = apps.get_model("ivr", "Outbox")
    Outlet = apps.get_model("outlets", "Outlet")
    Message = apps.get_model("outlets", "Message")
    outlets = {o.code: o for o in Outlet.objects.filter(code__in=("sms", "email"))}
    batch = []
    for row in Outbox.objects.select_related("customer").order_by("pk").iterator():
        outlet = outlets.get(row.channel)
        if outlet is None:
            continue
        sent = row.status == "sent"
        batch.append(Message(
            outlet=outlet, recipient=row.recipient, customer_id=row.customer_id,
            org_id=row.customer.org_id if row.customer_id else None, contact_id=row.contact_id,
            purpose="ivr_result", body=row.text, subject="自助查询结果" if row.channel == "email" else "",
            idempotency_key=f"ivr-outbox-{row.pk}", fingerprint="", source=row.source or "ivr",
            status="sent" if sent else "failed", status_reason="" if sent else REASON,
            created_at=row.created_at, finished_at=None if sent else row.created_at))
        if len(batch) >= 1000:
            Message.objects.bulk_create(batch)
            batch = []
    Message.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("outlets", "0002_default_outlets"), ("ivr", "0001_initial")]
    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
