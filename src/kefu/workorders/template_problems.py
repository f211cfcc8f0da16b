"""Template validation problems in the user's language.

``workflow`` is pure Python and names each problem by a key with English text;
here each key gets its translatable message (the same English text as msgid).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .workflow import PROBLEMS, Problem

MESSAGES = {
    "not_object": _("the definition must be an object"),
    "no_stations": _("the template needs a non-empty list of stations"),
    "no_code": _("station #%(n)s has no code"),
    "duplicate": _("station '%(station)s' is defined twice"),
    "actions_not_map": _("station '%(station)s': actions must map an action to the next station"),
    "unknown_holder": _("station '%(station)s': unknown holder rule '%(holder)s'"),
    "no_outcomes": _("station '%(station)s': action '%(action)s' has no outcomes"),
    "unknown_start": _("the start station '%(station)s' does not exist"),
    "unknown_action": _("station '%(station)s': unknown action '%(action)s'"),
    "unknown_target": _("station '%(station)s': action '%(action)s' leads to unknown station '%(target)s'"),
    "dead_end": _("station '%(station)s' is a dead end: no actions and not final"),
    "no_final": _("no final (closing) station"),
    "unreachable": _("station '%(station)s' cannot be reached from the start"),
    "cannot_close": _("station '%(station)s' has no path to a closing station"),
}


def problem_texts(issues: list[Problem]) -> list[str]:
    """Each problem as a sentence in the active language."""
    return [p.text(str(MESSAGES.get(p.key, PROBLEMS.get(p.key, p.key)))) for p in issues]
