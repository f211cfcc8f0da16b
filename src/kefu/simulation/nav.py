from django.utils.translation import gettext_lazy as _

from kefu.core.nav import NavEntry

SECTION = _("Monitoring")

ENTRIES = [
    NavEntry(SECTION, _("Staffing"), "simulation:staffing", "simulation.staffing.view", order=80),
    NavEntry(SECTION, _("Simulation"), "simulation:runs", "simulation.run.view", order=81),
]
