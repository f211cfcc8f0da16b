from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimulationConfig(AppConfig):
    name = "kefu.simulation"
    label = "simulation"
    verbose_name = _("Staffing and simulation")
