"""The IVR's door to a caller's notice choices (信息发布定制 by phone): node type ``notices``.

The caller hears each kind of notice with a key and whether it is on, presses a key to switch that kind,
hears the new state, and presses # (or nothing) to go on. Only the caller's own mobile number is changed,
through the notices' one write path (``subscription_set``, source ``ivr``, audited). A test call from the
flow editor changes nothing.
"""

from __future__ import annotations

from kefu.core.lazytext import gettext as _

from ..models import Wait

DONE_KEY = "#"


def _choices(number: str) -> list[tuple[str, str, bool]]:
    from kefu.notices.selectors import subscriptions_by_number

    return subscriptions_by_number(number=number)


def _own_mobile(call) -> str | None:
    number = call.contact.caller
    return number if len(number) == 11 and number.isdigit() and number.startswith("1") else None


def _prompt(call, node) -> None:
    call.s.wait = Wait.NOTICES
    if node.get("prompt"):
        call.say(node.get("prompt"))
    parts = [(_("%(key)s for %(kind)s, now on") if on else _("%(key)s for %(kind)s, now off"))
             % {"key": i, "kind": label} for i, (_code, label, on) in enumerate(_choices(call.contact.caller), 1)]
    call.say(_("To switch a kind of notice on or off, press its key: %(list)s. Press # when you are done.")
             % {"list": _("; ").join(parts)})
    call.collect(1, node.get("timeout"))


def enter_notices(call, node) -> str | None:
    if _own_mobile(call) is None:
        call.say(_("Sorry, notices can only be chosen from a mobile number."))
        return node.get("next")
    _prompt(call, node)
    return None


def input_notices(call, node, digits, verdict) -> str | None:
    key = (digits or "")[:1]
    if key == DONE_KEY or not key:
        return node.get("next")
    choices = _choices(call.contact.caller)
    if not key.isdigit() or not 1 <= int(key) <= len(choices):
        call.say(_("Sorry, that key is not on the list."))
        _prompt(call, node)
        return None
    code, label, on = choices[int(key) - 1]
    if call.s.is_test:
        call.event("ivr_notices", notice=code, subscribed=not on, test=True)
    else:
        from kefu.notices.services.subscriptions import subscription_set

        subscription_set(actor=call.actor, number=call.contact.caller, kind=code, subscribed=not on, source="ivr",
                         customer_id=call.contact.customer_id)
        call.event("ivr_notices", notice=code, subscribed=not on)
    call.say((_("%(kind)s: switched on.") if not on else _("%(kind)s: switched off.")) % {"kind": label})
    _prompt(call, node)
    return None
