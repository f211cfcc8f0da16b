from django.utils.translation import gettext_lazy as _

NODES = [
    ("webchat", _("Web chat")),
    ("webchat.entry", _("Chat entries")),
    ("webchat.entry.view", _("View the chat entries of hotlines")),
    ("webchat.entry.edit", _("Set up chat entries")),
]
