from django.utils.translation import gettext_lazy as _

NODES = [
    ("outlets", _("Messages to customers")),
    ("outlets.message", _("Messages")),
    ("outlets.message.view", _("View the message log")),
    ("outlets.message.send", _("Send messages to customers")),
    ("outlets.template", _("Message templates")),
    ("outlets.template.view", _("View message templates")),
    ("outlets.template.edit", _("Create, edit and delete message templates")),
    ("outlets.optout", _("Opt-outs")),
    ("outlets.optout.view", _("View opt-outs")),
    ("outlets.optout.edit", _("Record and revoke opt-outs")),
    ("outlets.outlet", _("Outlets")),
    ("outlets.outlet.view", _("View outlet settings")),
    ("outlets.outlet.edit", _("Change outlet settings and rate limits")),
]
