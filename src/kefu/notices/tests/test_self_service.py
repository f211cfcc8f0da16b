"""The customers' own notice choices (/subscribe/): a link texted to the number, then the switches."""

import re
from datetime import UTC, datetime, timedelta

from django.test import Client

from kefu.audit.models import AuditEntry
from kefu.core import clock
from kefu.crm.tests.factories import make_customer
from kefu.notices.models import Subscription
from kefu.notices.services.selfservice import self_service_token
from kefu.outlets.models import Message


def _link(number: str) -> str:
    [m] = Message.objects.filter(recipient=number, source="self_service").order_by("-pk")[:1]
    return re.search(r"http://testserver(/subscribe/\S+/)", m.body).group(1)


def test_a_customer_gets_a_link_by_sms_and_stops_promotions_there(city):
    clock.freeze(datetime(2026, 6, 1, 10, 0, tzinfo=UTC))
    make_customer(org=city, name="李娜", number="13800000001")
    web = Client()
    page = web.post("/subscribe/", {"number": "+86 138 0000 0001"})
    assert page.status_code == 200 and 'data-testid="link-sent"' in page.content.decode()
    message = Message.objects.get(source="self_service")
    assert message.recipient == "13800000001" and message.outlet.code == "sms" and "30" in message.body
    choices = web.get(_link("13800000001"))
    body = choices.content.decode()
    assert choices.status_code == 200 and "138****0001" in body and body.count('data-testid="self-kind"') == 7

    r = web.post(_link("13800000001"), {"kind": "promotion", "subscribed": "0"})
    assert r.status_code == 302 and r["Location"].endswith("?saved=1")
    row = Subscription.objects.get(number="13800000001", kind="promotion")
    assert (row.subscribed, row.source, row.changed_by) == (False, "web", None)
    assert AuditEntry.objects.filter(object_type="notices.subscription").exists()
    assert 'data-kind="promotion" data-subscribed="0"' in web.get(_link("13800000001")).content.decode()


def test_an_unknown_number_gets_the_same_answer_and_no_sms(db):
    page = Client().post("/subscribe/", {"number": "13999999999"})
    assert page.status_code == 200 and 'data-testid="link-sent"' in page.content.decode()
    assert not Message.objects.exists()


def test_bad_numbers_and_too_many_links_are_refused_with_a_message(city):
    clock.freeze(datetime(2026, 6, 1, 10, 0, tzinfo=UTC))
    make_customer(org=city, name="李娜", number="13800000001")
    web = Client()
    bad = web.post("/subscribe/", {"number": "12345"})
    assert bad.status_code == 400 and 'data-testid="self-error"' in bad.content.decode()
    assert web.post("/subscribe/", {"number": "13800000001"}).status_code == 200
    assert web.post("/subscribe/", {"number": "13800000001"}).status_code == 429  # within the minute
    for _ in range(4):
        clock.advance(timedelta(minutes=2))
        assert web.post("/subscribe/", {"number": "13800000001"}).status_code == 200
    clock.advance(timedelta(minutes=2))
    assert web.post("/subscribe/", {"number": "13800000001"}).status_code == 429  # five an hour
    assert Message.objects.filter(source="self_service").count() == 5


def test_a_forged_or_old_link_opens_nothing(city):
    make_customer(org=city, name="李娜", number="13800000001")
    web = Client()
    token = self_service_token("13800000001")
    assert web.get(f"/subscribe/{token}x/").status_code == 404
    assert web.get("/subscribe/13800000002:abc:def/").status_code == 404
    assert web.post(f"/subscribe/{token}/", {"kind": "nonsense", "subscribed": "0"}).status_code == 200
    assert not Subscription.objects.exists()
    clock.freeze(clock.now() + timedelta(minutes=31))
    page = web.get(f"/subscribe/{token}/")
    assert page.status_code == 404 and 'data-testid="link-expired"' in page.content.decode()
