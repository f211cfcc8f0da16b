from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactcenterConfig(AppConfig):
    name = "kefu.contactcenter"
    label = "contactcenter"
    verbose_name = _("Contact center")

    def ready(self):
        # Callbacks follow their dials through the dialer's purpose registry (registered at import).
        from .services import callbacks  # noqa: F401
