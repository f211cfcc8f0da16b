from django.utils.translation import gettext_lazy as _

NODES = [
    ("intake", _("E-mail, letters and walk-ins")),
    ("intake.mailbox", _("Hotline mailboxes")),
    ("intake.mailbox.view", _("View hotline mailboxes")),
    ("intake.mailbox.edit", _("Set up hotline mailboxes and test their connection")),
    ("intake.email", _("E-mail conversations")),
    ("intake.email.view", _("Read e-mail conversations")),
    ("intake.email.answer", _("Answer e-mails")),
    ("intake.register", _("Letters and walk-ins")),
    ("intake.register.view", _("View registered letters and walk-ins")),
    ("intake.register.create", _("Register letters and walk-in visits")),
]
