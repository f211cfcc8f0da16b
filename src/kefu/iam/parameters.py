from django.utils.translation import gettext_lazy as _

from kefu.params.registry import DURATION, INTEGER, Param

PARAMETERS = [
    Param("iam.login.max_failures", INTEGER, 5, _("Failed logins before lockout"),
          _("Wrong passwords in a row after which a staff login is locked."), group="security",
          min_value=1, max_value=20),
    Param("iam.login.lockout", DURATION, 30 * 60, _("Staff lockout duration"),
          _("How long a locked staff login stays locked."), group="security", min_value=60,
          max_value=7 * 24 * 3600),
    Param("iam.password.max_age", DURATION, 90 * 24 * 3600, _("Password maximum age"),
          _("After this long a staff member is asked to change the password."), group="security",
          min_value=24 * 3600, max_value=3650 * 24 * 3600),
]
