from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactcenterConfig(AppConfig):
    name = "kefu.contactcenter"
    label = "contactcenter"
    verbose_name = _("Contact center")
