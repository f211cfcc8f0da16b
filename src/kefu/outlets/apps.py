from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutletsConfig(AppConfig):
    name = "kefu.outlets"
    label = "outlets"
    verbose_name = _("Messages to customers")

    def ready(self) -> None:
        # The dialer tells the outbound IVR-call outlet how its calls went.
        from .services import calls

        calls.register()
