from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "kefu.campaigns"
    label = "campaigns"
    verbose_name = _("Outbound campaigns")

    def ready(self) -> None:
        # Reactions across apps, wired here: closed complaints feed callback-after-service campaigns, and
        # the dialer tells the campaigns how their calls went.
        from kefu.workorders.services.events import order_event

        from .services import calls, feeds

        order_event.connect(feeds.order_event_received, dispatch_uid="campaigns.order_closed")
        calls.register()
