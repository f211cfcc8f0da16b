"""Every contactcenter door denies the anonymous, the unpermitted and the out-of-branch caller
(see core/testing.py).

Desk doors act on the caller's own offers and contacts: a Shenzhen agent's offer or contact is answered
like one that does not exist. Queues, contact records and agents of Shenzhen are outside a Guangzhou
caller's scope.
"""

import pytest

from kefu.contactcenter.models import Queue, QueueSkill
from kefu.contactcenter.services import agents as ag
from kefu.contactcenter.services import contacts as ct
from kefu.contactcenter.services.router import route
from kefu.core.testing import check_door, denial_orgs, denial_world, door, doors_params, make_staff
from kefu.crm.tests.factories import make_customer
from kefu.iam.models import SkillGroup, StaffSkill

DESK, CONTACTS = "contactcenter.desk.use", "contactcenter.contact.view"
Q_VIEW, Q_EDIT = "contactcenter.queue.view", "contactcenter.queue.edit"
SUP_VIEW, SUP_FORCE, CTI = "contactcenter.supervise.view", "contactcenter.supervise.force", "contactcenter.cti.connect"
CALLBACKS = "contactcenter.callback.view"


def _queue(code, org, skill):
    q = Queue.objects.create(code=code, name=f"{code} 队列", org=org)
    QueueSkill.objects.create(queue=q, skill_group=skill, min_level=1)
    return q


def _agent(org, skill, no):
    a = make_staff(org=org, perms=[DESK, "crm.customer.view"], employee_no=no, name=f"话务员{no}")
    StaffSkill.objects.create(staff=a, skill_group=skill, level=5)
    return a


def _ready(agent, extension):
    ag.agent_login(actor=agent, extension=extension)
    ag.agent_set_state(actor=agent, state="ready")


def _offer(number, queue):
    ct.contact_enqueue(contact=ct.contact_arrive(caller=number, called="10086"), queue=queue)
    [offer_id] = route()
    return offer_id


def _build():
    w = denial_orgs()
    skill = SkillGroup.objects.create(code="general", name="普通话综合")
    w["queue"] = _queue("GZQ", w["city"], skill)
    w["spare_queue"] = _queue("GZQ2", w["city"], skill)
    w["other_queue"] = _queue("SZQ", w["other_city"], skill)
    w["customer"] = make_customer(org=w["city"], name="王伟", number="13900000001")
    w["other_customer"] = make_customer(org=w["other_city"], name="李娜", number="13800000002")
    w["agent"] = _agent(w["city"], skill, "G001")
    w["online"] = _agent(w["city"], skill, "G002")
    sz_busy, sz_ringing = _agent(w["other_city"], skill, "S001"), _agent(w["other_city"], skill, "S002")
    # Shenzhen: one agent talking to a Shenzhen customer, another with a call ringing.
    _ready(sz_busy, "9001")
    w["other_contact"] = ct.offer_accept(actor=sz_busy, offer_id=_offer("13800000002", w["other_queue"]))
    _ready(sz_ringing, "9002")
    w["other_offer"] = _offer("13800000003", w["other_queue"])
    w["other_agent"] = sz_ringing
    # Guangzhou: a finished call on record, and an agent logged in (not ready) for the supervisor.
    _ready(w["online"], "8002")
    w["contact"] = ct.offer_accept(actor=w["online"], offer_id=_offer("13900000001", w["queue"]))
    ct.contact_end(contact_id=w["contact"].pk, actor=w["online"])
    ag.agent_set_state(actor=w["online"], state="not_ready", reason="break")
    w["callback"], w["other_callback"] = _callback("13900000001", w["queue"]), _callback("13800000002", w["other_queue"])
    return w


def _callback(number, queue):
    """A callback of ``queue`` whose attempt is not waiting (so no test's routing offers it)."""
    from kefu.contactcenter.models import Contact
    from kefu.contactcenter.services.callbacks import callback_request

    inbound = ct.contact_enqueue(contact=ct.contact_arrive(caller=number, called="10086"), queue=queue)
    cb = callback_request(contact_id=inbound.pk)
    Contact.objects.filter(pk=cb.outbound_contact_id).update(state="ended")
    return cb


world = denial_world(_build)


def _logged_in(w, caller):
    _ready(caller, "8001")
    return {}


def _offered(w, caller):
    _ready(caller, "8001")
    return {"offer": _offer("13900000001", w["queue"])}


def _connected(w, caller):
    offer = _offered(w, caller)["offer"]
    return {"contact": ct.offer_accept(actor=caller, offer_id=offer).pk}


def _held(w, caller):
    ids = _connected(w, caller)
    ct.contact_hold(actor=caller, contact_id=ids["contact"], hold=True)
    return ids


def _ended(w, caller):
    ids = _connected(w, caller)
    ct.contact_end(contact_id=ids["contact"], actor=caller)
    return ids


MINE = {"actor": "agent"}
OFFER, CONTACT = {"offer": "other_offer"}, {"contact": "other_contact"}
QUEUE = {"queue": "other_queue"}
QUEUE_BODY = {"code": "GZQ", "name": "广州综合", "org_id": "{city}", "skills": [{"skill": "general"}]}

API = [
    door("get", "/api/contactcenter/agent/me", DESK),
    door("post", "/api/contactcenter/agent/login", DESK, body={"extension": "8009"}),
    door("post", "/api/contactcenter/agent/logout", DESK, prepare=_logged_in, **MINE),
    door("post", "/api/contactcenter/agent/state", DESK, body={"state": "ready"}, prepare=_logged_in, **MINE),
    door("post", "/api/contactcenter/offers/{offer}/accept", DESK, prepare=_offered, outside=OFFER, **MINE),
    door("post", "/api/contactcenter/offers/{offer}/reject", DESK, prepare=_offered, outside=OFFER, **MINE),
    door("post", "/api/contactcenter/contacts/{contact}/hold", DESK, prepare=_connected, outside=CONTACT, **MINE),
    door("post", "/api/contactcenter/contacts/{contact}/unhold", DESK, prepare=_held, outside=CONTACT, **MINE),
    door("post", "/api/contactcenter/contacts/{contact}/transfer", DESK, body={"to_queue": "GZQ2"},
         prepare=_connected, outside=CONTACT, **MINE),
    door("post", "/api/contactcenter/contacts/{contact}/conference", DESK, body={"number": "13800138000"},
         prepare=_connected, outside=CONTACT, **MINE),
    door("post", "/api/contactcenter/contacts/{contact}/end", DESK, prepare=_connected, outside=CONTACT, **MINE),
    door("post", "/api/contactcenter/contacts/{contact}/wrap-up", DESK, body={"disposition": "solved"},
         prepare=_ended, outside=CONTACT, **MINE),
    door("get", "/api/contactcenter/supervisor/snapshot", SUP_VIEW),
    door("post", "/api/contactcenter/supervisor/agents/{online}/force", SUP_FORCE, body={"action": "logout"},
         outside={"online": "other_agent"}),
    door("get", "/api/contactcenter/queues", Q_VIEW),
    door("post", "/api/contactcenter/queues", Q_EDIT, body={**QUEUE_BODY, "code": "GZQ3"},
         outside={"city": "other_city"}),
    door("get", "/api/contactcenter/queues/{queue}", Q_VIEW, outside=QUEUE),
    door("put", "/api/contactcenter/queues/{queue}", Q_EDIT, body=QUEUE_BODY, outside=QUEUE),
    door("delete", "/api/contactcenter/queues/{spare_queue}", Q_EDIT, outside={"spare_queue": "other_queue"}),
    door("get", "/api/contactcenter/contacts", CONTACTS),
    door("get", "/api/contactcenter/contacts/{contact}", CONTACTS, outside=CONTACT),
    door("post", "/api/contactcenter/cti/events", CTI,
         body={"type": "call.incoming", "call_id": "h-1", "caller": "13900000001", "called": "10086"}),
    door("get", "/api/contactcenter/cti/calls?call_id=h-1", CTI),
    door("get", "/api/contactcenter/cti/dials", CTI),
    door("get", "/api/contactcenter/callbacks", CALLBACKS),
    door("get", "/api/contactcenter/callbacks/{callback}", CALLBACKS, outside={"callback": "other_callback"}),
]

UI = [
    door("get", "/contactcenter/desk/", DESK),
    door("get", "/contactcenter/supervisor/", SUP_VIEW),
    door("get", "/contactcenter/queues/", Q_VIEW),
    door("get", "/contactcenter/queues/new/", Q_EDIT),
    door("get", "/contactcenter/queues/{queue}/", Q_EDIT, outside=QUEUE),
    door("post", "/contactcenter/queues/{spare_queue}/delete/", Q_EDIT, status=(302,),
         outside={"spare_queue": "other_queue"}),
    door("get", "/contactcenter/contacts/", CONTACTS),
    door("get", "/contactcenter/contacts/{contact}/", CONTACTS, outside=CONTACT),
    door("get", "/contactcenter/customers/{customer}/contacts/", CONTACTS, outside={"customer": "other_customer"}),
    door("get", "/contactcenter/callbacks/", CALLBACKS),
    door("get", "/contactcenter/callbacks/{callback}/", CALLBACKS, outside={"callback": "other_callback"}),
]

DOORS = API + UI


@pytest.mark.parametrize("d", doors_params(DOORS))
def test_door(d, world, db):
    check_door(d, world)
