"""Messages get a priority (claimed first among due messages); an inbound SMS may be a keyword another app
handled (the notices' subscribe / unsubscribe keywords)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contactcenter', '0003_outbound_dialling'),
        ('crm', '0002_customer_tier_name_index'),
        ('orgs', '0001_initial'),
        ('outlets', '0003_ivr_outbox_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='message',
            name='outlets_msg_due_idx',
        ),
        migrations.AddField(
            model_name='message',
            name='priority',
            field=models.SmallIntegerField(default=0, verbose_name='priority'),
        ),
        migrations.AlterField(
            model_name='inboundsms',
            name='action',
            field=models.CharField(choices=[('contact', 'Contact'), ('opt_out', 'Opt-out'), ('keyword', 'Keyword of another app')], max_length=8),
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(fields=['outlet', 'status', '-priority', 'next_attempt_at'], name='outlets_msg_due_idx'),
        ),
    ]
