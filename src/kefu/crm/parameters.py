from django.utils.translation import gettext_lazy as _

from kefu.params.registry import INTEGER, Param

PARAMETERS = [
    Param("crm.service_password.max_failures", INTEGER, 3, _("Wrong service passwords before lock"),
          _("Wrong service passwords in a row after which a customer's service password is locked until "
            "staff unlock or reset it."), group="security", min_value=1, max_value=10),
]
