from django.utils.translation import gettext_lazy as _

from kefu.params.registry import DURATION, INTEGER, Param

PARAMETERS = [
    Param("iam.login.max_failures", INTEGER, 5, _("Failed logins before lockout"),
          _("Wrong passwords in a row after which a staff login is locked for a while."), group="security",
          min_value=1, max_value=20),
    Param("iam.login.delay", DURATION, 60, _("First lockout of a staff login"),
          _("How long a login is locked after the allowed wrong passwords; each further wrong password "
            "doubles it, up to the longest lockout. The last super administrator is never locked longer."),
          group="security", min_value=1, max_value=24 * 3600),
    Param("iam.login.lockout", DURATION, 30 * 60, _("Longest staff lockout"),
          _("The growing lockout of a staff login never lasts longer than this."), group="security",
          min_value=60, max_value=7 * 24 * 3600),
    Param("iam.login.address_max_failures", INTEGER, 20, _("Failed logins per client address"),
          _("Wrong logins (any employee numbers) from one client address within the address window after "
            "which that address may not try again until the window has passed."), group="security",
          min_value=3, max_value=10000),
    Param("iam.login.address_window", DURATION, 15 * 60, _("Client address window"),
          _("The period over which failed logins from one address are counted, and how long a blocked "
            "address waits."), group="security", min_value=60, max_value=24 * 3600),
    Param("iam.session.idle_timeout", DURATION, 30 * 60, _("Session idle timeout"),
          _("A signed-in page session ends after this long without a request (the absolute session age is "
            "set by KEFU_SESSION_AGE)."), group="security", min_value=60, max_value=24 * 3600),
    Param("iam.password.max_age", DURATION, 90 * 24 * 3600, _("Password maximum age"),
          _("After this long a staff member is asked to change the password."), group="security",
          min_value=24 * 3600, max_value=3650 * 24 * 3600),
]
