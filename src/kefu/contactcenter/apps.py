from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactcenterConfig(AppConfig):
    name = "kefu.contactcenter"
    label = "contactcenter"
    verbose_name = _("Contact center")

    def ready(self):
        # Callbacks follow their dials through the dialer's purpose registry, and the contacts service takes
        # progressive offers for the router (both registered at import).
        from .services import callbacks, contacts  # noqa: F401
