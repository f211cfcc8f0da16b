from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "kefu.surveys"
    label = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self):
        from kefu.outlets.services.keywords import inbound_keyword_register

        from .services.sms import survey_sms_reply

        inbound_keyword_register(survey_sms_reply)
