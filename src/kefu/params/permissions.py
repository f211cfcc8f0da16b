from django.utils.translation import gettext_lazy as _

NODES = [
    ("params", _("System parameters")),
    ("params.param", _("Parameters")),
    ("params.param.view", _("View parameters")),
    ("params.param.edit", _("Change parameters")),
]
