from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParamsConfig(AppConfig):
    name = "kefu.params"
    label = "params"
    verbose_name = _("System parameters")

    def ready(self) -> None:
        from kefu.audit.display import register_object_type

        from . import registry

        registry.autodiscover()
        # The audit page shows "8h → 6h" rather than "28800 → 21600".
        register_object_type("params.parameter", _("System parameter"), _format_for_audit)


def _format_for_audit(key: str, field: str, value):
    from . import registry

    p = registry.definition(key)
    if p is None or field != "value":
        return None
    return p.display(value)
