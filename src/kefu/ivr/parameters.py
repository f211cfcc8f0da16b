from django.utils.translation import gettext_lazy as _

from kefu.params.registry import CHOICE, TEXT, Param

GROUPS = {"ivr": _("IVR self-service")}

PARAMETERS = [
    Param("ivr.default_queue", TEXT, "GEN", _("Queue for hotlines without a flow"),
          _("A call to a number that has no active IVR flow goes straight to this queue (by code)."),
          group="ivr", max_length=32),
    Param("ivr.language", CHOICE, "zh-hans", _("Language callers hear"),
          _("Language of the texts the IVR composes itself (query results, retries); flow texts are spoken as "
            "written."), group="ivr",
          choices=(("zh-hans", _("Simplified Chinese")), ("en", _("English")))),
]
