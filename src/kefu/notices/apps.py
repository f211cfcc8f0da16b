from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "kefu.notices"
    label = "notices"
    verbose_name = _("Information publishing")

    def ready(self):
        from kefu.outlets.services.keywords import inbound_keyword_register

        from .services.subscriptions import subscription_sms_keyword

        inbound_keyword_register(subscription_sms_keyword)
