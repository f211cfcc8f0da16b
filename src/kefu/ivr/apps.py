from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IvrConfig(AppConfig):
    name = "kefu.ivr"
    label = "ivr"
    verbose_name = _("IVR self-service")
