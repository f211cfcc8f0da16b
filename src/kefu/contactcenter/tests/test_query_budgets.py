"""Query budgets of the agent desktop's hot paths, counted over the whole HTTP request.

The desktop refetches ``GET /api/contactcenter/agent/me`` on every socket (re)connect and on a
heartbeat (decision 0023: one per agent every 15 s, about 67 requests/s for 1,000 agents), and every
desk action answers with the same desk state. So each budget is the action's own queries plus the
desk state's, plus what every request pays: the session and staff rows (``AUTH``; permissions and
parameters come from the per-process caches once loaded, ``kefu.core.versioned``) and, for a write, the
service's transaction, which shows as SAVEPOINT/RELEASE here (BEGIN/COMMIT in production, which
Django does not count: ``TXN``). The caches are reset after the fixtures are written, as a server
would see them once their transactions committed, and refilled by one contact handled end to end.

Routing is not counted: it runs when the transaction commits (``route_soon``), which a test's
transaction never does; it has its own benchmark (``bench/routing.py``).
"""

import pytest

from kefu.contactcenter.services.router import route
from kefu.core import versioned

from .desk_support import API, api_for, call, ready

AUTH = 2  # session, staff
TXN = 2  # SAVEPOINT + RELEASE of the service's transaction

# The desk state (``selectors.desk_state``) of an agent with nothing on screen: today's handled contacts,
# the active queues (transfer targets), the live session, a ringing offer, the current contacts, the
# contact waiting for wrap-up and the last transfer that may still need one. Nothing about a customer is
# shown, so no read is recorded.
DESK_IDLE = 7
# What showing one contact adds: its screen pop (subscribers, accounts, recent contacts, open work
# orders) and the batched read-audit entry; a current contact also lists the work orders made from it.
POP = 4 + 1
ORDERS_OF_CONTACT = 1


@pytest.fixture
def desk(cc):
    """The VIP agent's desk, ready at 8002, after one contact handled end to end (the caches are warm)."""
    api = api_for(cc.agents[1])
    ready(api, "8002")
    versioned.reset_all()
    first = call("13900000001", cc.q_vip)
    [offer_id] = route()
    api.post(f"{API}/offers/{offer_id}/accept")
    api.post(f"{API}/contacts/{first.pk}/end")
    assert api.post(f"{API}/contacts/{first.pk}/wrap-up", {"disposition": "solved"}).status_code == 200
    api.post(f"{API}/agent/state", {"state": "not_ready", "reason": "meal"})
    assert api.post(f"{API}/agent/state", {"state": "ready"}).json()["session"]["state"] == "ready"
    return api


def test_idle_heartbeat_within_budget(desk, django_assert_max_num_queries):
    with django_assert_max_num_queries(AUTH + DESK_IDLE):
        r = desk.get(f"{API}/agent/me")
    assert r.status_code == 200 and r.json()["offer"] is None


def test_desk_with_a_ringing_offer_within_budget(cc, desk, django_assert_max_num_queries):
    call("13900000001", cc.q_vip)
    [offer_id] = route()
    # the offer is read with its contact, customer, subscriber and queue in one query
    with django_assert_max_num_queries(AUTH + DESK_IDLE + POP):
        r = desk.get(f"{API}/agent/me")
    assert r.json()["offer"]["id"] == offer_id and r.json()["offer"]["pop"]["customer"]["name"] == "陈大客户"


def test_accept_within_budget(cc, desk, django_assert_max_num_queries):
    contact = call("13900000001", cc.q_vip)
    [offer_id] = route()
    desk.get(f"{API}/agent/me")
    # The offer locked with its contact and session (one statement), the offer, contact and session
    # UPDATEs (the session's new load goes with its state change), the state record closed and opened,
    # the contact's "answered" event: 7 (was 9: the contact and the session were read again after the
    # offer's lock had read them, and the load was written before the state, in an UPDATE of its own).
    # Then the desk with the connected contact.
    with django_assert_max_num_queries(AUTH + TXN + 7 + DESK_IDLE + POP + ORDERS_OF_CONTACT):
        r = desk.post(f"{API}/offers/{offer_id}/accept")
    assert r.status_code == 200, r.content
    me = r.json()
    assert me["offer"] is None and me["session"]["state"] == "busy" and me["contacts"][0]["id"] == contact.pk


@pytest.mark.parametrize(("body", "state"), [({"state": "not_ready", "reason": "break"}, "not_ready"),
                                               ({"state": "ready"}, "ready")])
def test_state_change_within_budget(desk, body, state, django_assert_max_num_queries):
    if state == "ready":
        desk.post(f"{API}/agent/state", {"state": "not_ready", "reason": "break"})
    # The live session found and locked in one query (was a read, then the lock by key: 2), the state
    # record closed and opened, the session UPDATE; then the desk.
    with django_assert_max_num_queries(AUTH + TXN + 4 + DESK_IDLE):
        r = desk.post(f"{API}/agent/state", body)
    assert r.status_code == 200, r.content
    assert r.json()["session"]["state"] == state


def test_login_within_budget(desk, django_assert_max_num_queries):
    assert desk.post(f"{API}/agent/logout").json()["session"] is None
    # No live session yet; the session INSERT in a savepoint of its own (a taken extension is a clean
    # 409 on PostgreSQL too), the state record (closing a previous one, of which a new session has none,
    # and opening it), the session UPDATE of that state, the audit entry; then the desk. A login is once
    # a shift: the no-op close and the second write of the new row are left as they are.
    with django_assert_max_num_queries(AUTH + TXN + 1 + 3 + 2 + 1 + 1 + DESK_IDLE):
        r = desk.post(f"{API}/agent/login", {"extension": "8002"})
    assert r.status_code == 200, r.content
    assert r.json()["session"]["state"] == "not_ready"


# --- the switch's side of a call (CTI over HTTP, the bearer token of the switch) -----------------------


@pytest.fixture
def switch(cc, desk):
    from kefu.core.testing import JsonClient

    from .cti_support import switch_token

    _staff, token = switch_token(cc.province)
    versioned.reset_all()  # as a server sees the switch's grants once committed
    return JsonClient(token=token)


CTI = f"{API}/cti/events"
TOKEN = 1  # the switch's token (its staff comes with it)


def test_an_incoming_call_within_budget(switch, django_assert_max_num_queries):
    switch.post(CTI, {"type": "call.incoming", "call_id": "b-0", "caller": "13900000009", "called": "10000",
                      "channel": "voice"})  # the switch's grants and the flows in the caches, as on a live server
    # The call id's advisory lock (PostgreSQL only) and the check that it is new (1); the caller looked up
    # and the contact with its "arrived" event written (3); the IVR: the contact locked, no session yet, no
    # flow for 10000 (the flows and queues are cached per process), so the default queue: the contact
    # queued and its event (4: the queue takes the row the IVR step locked, not read again); the switch's
    # report in the contact's record (1). Each service's transaction shows as a SAVEPOINT/RELEASE pair (4).
    with django_assert_max_num_queries(TOKEN + 1 + 1 + 3 + 4 + 1 + 4 * TXN):
        r = switch.post(CTI, {"type": "call.incoming", "call_id": "b-1", "caller": "13900000009",
                              "called": "10000", "channel": "voice"})
    assert r.status_code == 200 and r.json()["commands"][-1]["type"] == "queue", r.content


def test_a_caller_hanging_up_within_budget(cc, desk, switch, django_assert_max_num_queries):
    contact = call("13900000001", cc.q_vip)
    [offer_id] = route()
    desk.post(f"{API}/offers/{offer_id}/accept")
    Contact = type(contact)
    Contact.objects.filter(pk=contact.pk).update(external_id="b-3")
    assert switch.post(CTI, {"type": "call.ended", "call_id": "b-x", "cause": "normal_clearing"}).status_code == 404
    # The call found and locked (1), whether the hangup was reported before and its report (2); the contact
    # locked again by the service that ends it, its UPDATE and "ended" event (3); the agent's session
    # locked (1); the state history closed and opened and the session's wrap-up written with its loads in
    # one UPDATE (3). Two transactions (2 pairs).
    with django_assert_max_num_queries(TOKEN + 1 + 2 + 3 + 1 + 3 + 2 * TXN):
        r = switch.post(CTI, {"type": "call.ended", "call_id": "b-3", "cause": "normal_clearing"})
    assert r.status_code == 200, r.content
    assert desk.get(f"{API}/agent/me").json()["session"]["state"] == "wrap_up"
