from django.utils.translation import gettext_lazy as _

from kefu.params.registry import DURATION, INTEGER, Param

GROUPS = {"kpi": _("Operations indicators")}

PARAMETERS = [
    Param("kpi.sl_target_percent", INTEGER, 80, _("Service level target (%)"),
          _("x in “x % answered within y seconds” for contacts without a queue of their own."), group="kpi",
          min_value=1, max_value=100),
    Param("kpi.sl_seconds", INTEGER, 20, _("Service level: answered within (seconds)"),
          _("y in “x % answered within y seconds” for contacts without a queue of their own."), group="kpi",
          min_value=1, max_value=3600),
    Param("kpi.short_abandon_seconds", INTEGER, 5, _("Short abandon threshold (seconds)"),
          _("Callers hanging up sooner are left out of offered contacts (queues may set their own)."), group="kpi",
          min_value=0, max_value=600),
    Param("kpi.repeat_days", INTEGER, 30, _("Repeat complaint window (days)"),
          _("A complaint is a repeat when the same customer or number complained within this many days."),
          group="kpi", min_value=1, max_value=365),
    Param("kpi.lookback", DURATION, 6 * 3600, _("Intervals rebuilt each run"),
          _("The worker rebuilds the intervals of this last stretch of time; longer contacts are caught by "
            "the nightly rebuild of the day before."), group="kpi", min_value=15 * 60, max_value=48 * 3600),
    Param("kpi.alert.service_level_below", INTEGER, 70, _("Alert: service level below (%)"),
          _("The wallboard marks a queue whose service level today is under this."), group="kpi",
          min_value=0, max_value=100),
    Param("kpi.alert.waiting_above", INTEGER, 10, _("Alert: contacts waiting above"),
          _("The wallboard marks a queue with more contacts waiting."), group="kpi", min_value=0, max_value=10000),
    Param("kpi.alert.longest_wait_above", DURATION, 120, _("Alert: longest wait above"),
          _("The wallboard marks a queue whose oldest waiting contact waited longer."), group="kpi",
          min_value=1, max_value=24 * 3600),
    Param("kpi.alert.abandon_rate_above", INTEGER, 10, _("Alert: abandonment rate above (%)"),
          _("The wallboard marks a queue whose abandonment today is over this."), group="kpi",
          min_value=0, max_value=100),
    Param("kpi.orders_near", DURATION, 2 * 3600, _("Work orders near deadline within"),
          _("The wallboard lists open work orders whose station deadline is closer than this."), group="kpi",
          min_value=60, max_value=7 * 24 * 3600),
]
