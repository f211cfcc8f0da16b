from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "kefu.intake"
    label = "intake"
    verbose_name = _("E-mail, letters and walk-ins")
