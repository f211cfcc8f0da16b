"""The pages: compose (people by 工号, teams, organisations), inbox unread first with sorting, opening a
message records the receipt, the sender's detail page shows who has and has not read it."""

from kefu.core.testing import client_for
from kefu.messaging.models import Delivery, Message


def compose(client, **data):
    form = {"subject": "排班", "body": "明天早班。", "priority": "2", "display": "popup", "key": data.pop("key", "f1"),
            **data}
    return client.post("/messaging/new/", form)


def test_compose_to_a_team_and_read_the_receipts(center):
    sup = client_for(center.sup)
    r = compose(sup, teams=[str(center.team.pk)], people="AG3")
    assert r.status_code == 302, r.content.decode()[:2000]
    m = Message.objects.get()
    assert m.recipient_count == 3
    # The same form sent twice (a double click) sends once.
    assert compose(sup, teams=[str(center.team.pk)], people="AG3").status_code == 302
    assert Message.objects.count() == 1

    agent = client_for(center.agents[0])
    page = agent.get("/messaging/")
    assert "排班" in page.content.decode()
    agent.get(f"/messaging/{m.pk}/")
    assert Delivery.objects.get(message=m, recipient=center.agents[0]).read_at is not None
    agent.post(f"/messaging/{m.pk}/acknowledge/")
    assert Delivery.objects.get(message=m, recipient=center.agents[0]).acknowledged_at is not None

    detail = sup.get(f"/messaging/{m.pk}/").content.decode()
    assert 'data-employee="AG1" data-read="1"' in detail and 'data-employee="AG2" data-read="0"' in detail
    unread_only = sup.get(f"/messaging/{m.pk}/", {"state": "unread"}).content.decode()
    assert 'data-employee="AG1"' not in unread_only and 'data-employee="AG2"' in unread_only
    sent = sup.get("/messaging/sent/", {"sort": "-read"}).content.decode()
    assert 'data-testid="read-count">1<' in sent and 'data-testid="unread-count">2<' in sent


def test_compose_refuses_unknown_people_and_out_of_scope_organisations(center):
    sup = client_for(center.sup)
    r = compose(sup, people="AG1, NOBODY")
    assert r.status_code == 400 and "NOBODY" in r.content.decode()
    r = compose(sup, people="SZ1")  # Shenzhen: outside the sender's scope, like no one
    assert r.status_code == 400 and "SZ1" in r.content.decode()
    r = compose(sup, orgs=[str(center.other_city.pk)])  # not even offered
    assert r.status_code == 400
    assert not Message.objects.exists()


def test_an_agent_composes_to_people_only(center):
    agent = client_for(center.agents[0])
    page = agent.get("/messaging/new/").content.decode()
    assert 'name="people"' in page and 'name="teams"' not in page
    assert compose(agent, people="SUP1").status_code == 302
    assert compose(agent, key="f2", teams=[str(center.team.pk)], people="SUP1").status_code == 302
    assert Message.objects.get(idempotency_key="f2").targets == [
        {"kind": "staff", "id": center.sup.pk, "subtree": False, "label": "值班长 (SUP1)"}]


def test_the_inbox_sorts_by_any_column_and_every_page_carries_the_notifier(center):
    sup = client_for(center.sup)
    for i, subject in enumerate(["乙", "甲", "丙"]):
        compose(sup, key=f"s{i}", subject=subject, teams=[str(center.team.pk)])
    agent = client_for(center.agents[0])
    page = agent.get("/messaging/", {"sort": "subject"}).content.decode()
    order = [page.index(s) for s in ("丙", "乙", "甲")]  # by code point: 丙 < 乙 < 甲
    assert order == sorted(order)
    assert 'aria-sort="ascending"' in page
    assert agent.get("/messaging/", {"sort": "bogus"}).status_code == 200
    home = agent.get("/").content.decode()
    assert 'id="kefu-notify"' in home and "messaging/notify.js" in home and 'data-testid="inbox-link"' in home
