from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParamsConfig(AppConfig):
    name = "kefu.params"
    label = "params"
    verbose_name = _("System parameters")

    def ready(self) -> None:
        from . import registry

        registry.autodiscover()
