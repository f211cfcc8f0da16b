from django.utils.translation import gettext_lazy as _

from kefu.params.registry import INTEGER, Param

GROUPS = {"intake": _("E-mail, letters and walk-ins")}

PARAMETERS = [
    Param("intake.email.max_kb", INTEGER, 20480, _("Largest e-mail accepted (KB)"),
          _("A larger message is refused with a notice to its sender; its raw text is kept."), group="intake",
          min_value=1, max_value=102400),
    Param("intake.email.batch", INTEGER, 50, _("E-mails read per mailbox and pass"),
          _("The worker reads at most this many new messages of a mailbox each time it runs."), group="intake",
          min_value=1, max_value=1000),
]
