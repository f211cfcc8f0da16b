"""Who may write to whom. Reading one's own messages needs no permission: a notice must reach everyone.

``send`` addresses people one by one (an agent reporting to a supervisor or a colleague); ``broadcast``
addresses teams, roles, organisations and everyone in the sender's organisation scope (a supervisor
publishing a rule). Both stop at the sender's scope (``scope.all_orgs`` widens it).
"""

from django.utils.translation import gettext_lazy as _

NODES = [
    ("messaging", _("Internal messages")),
    ("messaging.message", _("Messages to staff")),
    ("messaging.message.send", _("Send messages to people")),
    ("messaging.message.broadcast", _("Send messages to teams, roles, organisations and everyone")),
]
