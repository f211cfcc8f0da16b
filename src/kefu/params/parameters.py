"""Deadline parameters of SPEC §4 (时限). Declared here from the start so that
administrators can set them before work orders use them."""

from django.utils.translation import gettext_lazy as _

from .registry import DURATION, Param

H = 3600

PARAMETERS = [
    Param("sla.reply.vip", DURATION, 8 * H, _("Reply deadline, VIP"),
          _("Time to reply to a VIP (大客户) customer."), group="sla", min_value=60, max_value=30 * 24 * H),
    Param("sla.reply.gotone", DURATION, 24 * H, _("Reply deadline, GoTone"),
          _("Time to reply to a GoTone (全球通) customer."), group="sla", min_value=60, max_value=30 * 24 * H),
    Param("sla.reply.other", DURATION, 48 * H, _("Reply deadline, other brands"),
          _("Time to reply to M-Zone, Easy-Own and other customers."), group="sla", min_value=60,
          max_value=30 * 24 * H),
    Param("sla.station.vip", DURATION, 3 * H, _("Station deadline, VIP"),
          _("Longest time one station may hold a VIP order."), group="sla", min_value=60, max_value=7 * 24 * H),
    Param("sla.station.other", DURATION, 6 * H, _("Station deadline, others"),
          _("Longest time one station may hold any other order."), group="sla", min_value=60,
          max_value=7 * 24 * H),
    Param("sla.warning_lead", DURATION, 1 * H, _("Warning lead time"),
          _("How long before a deadline the holder is warned (预警)."), group="sla", min_value=0,
          max_value=7 * 24 * H),
    Param("sla.reminder_interval", DURATION, 2 * H, _("Overdue reminder interval"),
          _("How often an overdue order reminds its holder again."), group="sla", min_value=300,
          max_value=7 * 24 * H),
]
