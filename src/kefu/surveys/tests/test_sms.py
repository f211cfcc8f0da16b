"""An SMS survey is answered by replying one digit through the outlets' inbound SMS path."""

from kefu.crm.tests.factories import make_customer
from kefu.outlets.models import Message
from kefu.outlets.selectors import outlet_get
from kefu.outlets.services.config import outlets_ensure_defaults
from kefu.outlets.services.inbound import sms_inbound_receive
from kefu.surveys.models import Survey
from kefu.surveys.services.surveys import SurveyData, survey_create

from .conftest import make_script


def test_a_digit_reply_answers_the_satisfaction_question_and_other_texts_pass(city):
    outlets_ensure_defaults()
    customer = make_customer(org=city, number="13900000001")
    _script, version = make_script(city)
    survey = survey_create(
        actor="test",
        version=version,
        data=SurveyData(channel="sms", org_id=city.pk, number="13900000001", customer_id=customer.pk),
    )
    sms = outlet_get(code="sms")
    sms_inbound_receive(outlet=sms, gateway_id="in-1", sender="13900000001", text=" 2 ")
    survey.refresh_from_db()
    assert (survey.satisfaction, survey.state, survey.answers) == (4, "partial", {"overall": 4})
    assert Message.objects.filter(recipient="13900000001", body__contains="感谢").exists()
    sms_inbound_receive(outlet=sms, gateway_id="in-2", sender="13900000001", text="3")  # answered already
    survey.refresh_from_db()
    assert survey.satisfaction == 4
    sms_inbound_receive(outlet=sms, gateway_id="in-3", sender="13900000009", text="1")  # no survey waits
    assert Survey.objects.filter(satisfaction__isnull=False).count() == 1
