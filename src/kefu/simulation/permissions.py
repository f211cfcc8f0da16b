from django.utils.translation import gettext_lazy as _

NODES = [
    ("simulation", _("Staffing and simulation")),
    ("simulation.staffing", _("Staffing")),
    ("simulation.staffing.view", _("Calculate the agents a load needs")),
    ("simulation.run", _("Simulation runs")),
    ("simulation.run.view", _("View simulation runs and their results")),
    ("simulation.run.create", _("Start simulation runs")),
]
