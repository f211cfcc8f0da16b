"""A chat's life through the services: queued and routed by the contact center, lines both ways, transfer,
end, files, per-channel capacity, and messages left outside opening hours."""

import pytest

from kefu.contactcenter.models import AgentSession, Contact, ContactEvent
from kefu.contactcenter.services import contacts as ct
from kefu.contactcenter.services.router import route
from kefu.core.errors import Conflict, NotFound, ValidationFailed
from kefu.webchat import selectors
from kefu.webchat.models import ChatMessage, VisitState
from kefu.webchat.services import chats

from .support import chatting, ready, visit_for

pytestmark = pytest.mark.django_db


def test_a_chat_is_a_contact_of_the_chat_queue_routed_to_a_chat_agent(wc):
    ready(wc.agents[0], "8001")
    visit = chats.chat_start(visit_id=visit_for(wc.entry, "13900000001").pk)
    contact = Contact.objects.get(pk=visit.contact_id)
    assert (contact.channel, contact.queue_id, contact.state) in {("chat", wc.queue.pk, "queued"),
                                                                  ("chat", wc.queue.pk, "offered")}
    assert contact.customer_id == wc.customer.pk and contact.identity_verified
    route()
    contact.refresh_from_db()
    assert contact.state == "offered"
    welcome = ChatMessage.objects.get(contact_id=contact.pk)
    assert (welcome.sender, welcome.text) == ("system", "您好，欢迎使用在线客服。")


def test_a_guest_chat_is_marked_and_not_verified(wc):
    ready(wc.agents[0], "8001")
    visit = chatting(wc.entry, "13700000009", wc.agents[0])
    contact = Contact.objects.get(pk=visit.contact_id)
    assert visit.guest and contact.customer_id is None and not contact.identity_verified


def test_lines_go_both_ways_and_make_the_transcript(wc):
    agent = wc.agents[0]
    ready(agent, "8001")
    visit = chatting(wc.entry, "13900000001", agent)
    chats.customer_message(visit_id=visit.pk, text="我的流量怎么用得这么快？")
    chats.agent_message(actor=agent, contact_id=visit.contact_id, text="您好，我帮您查一下。")
    _visit, lines = selectors.transcript_get(actor=agent, contact_id=visit.contact_id)
    assert [(m.sender, m.text) for m in lines][1:] == [("customer", "我的流量怎么用得这么快？"),
                                                     ("agent", "您好，我帮您查一下。")]
    with pytest.raises(ValidationFailed):
        chats.customer_message(visit_id=visit.pk, text="   ")
    with pytest.raises(ValidationFailed):
        chats.agent_message(actor=agent, contact_id=visit.contact_id, text="长" * 2001)


def test_another_agents_chat_answers_like_none(wc):
    ready(wc.agents[0], "8001")
    visit = chatting(wc.entry, "13900000001", wc.agents[0])
    with pytest.raises(NotFound):
        chats.agent_message(actor=wc.agents[1], contact_id=visit.contact_id, text="你好")
    with pytest.raises(NotFound):
        selectors.transcript_get(actor=wc.agents[1], contact_id=visit.contact_id)
    # The supervisor holding contact records reads it.
    assert selectors.transcript_get(actor=wc.sup, contact_id=visit.contact_id)[0].pk == visit.pk


def test_an_agent_takes_chats_in_parallel_up_to_the_chat_capacity(wc):
    agent = wc.agents[0]
    ready(agent, "8001")
    AgentSession.objects.filter(staff=agent, logged_out_at__isnull=True).update(chat_capacity=2)
    first = chatting(wc.entry, "13900000001", agent)
    second = chatting(wc.entry, "13700000002", agent)
    third = chats.chat_start(visit_id=visit_for(wc.entry, "13700000003").pk)
    route()
    assert Contact.objects.get(pk=third.contact_id).state == "queued"  # the agent is full
    session = AgentSession.objects.get(staff=agent, logged_out_at__isnull=True)
    assert (session.chat_load, session.state) == (2, "busy")
    assert [v.pk for v, _ in selectors.my_chats(actor=agent)] == [first.pk, second.pk]
    ct.contact_end(contact_id=first.contact_id, actor=agent)
    route()
    assert Contact.objects.get(pk=third.contact_id).state == "offered"  # a slot came free


def test_the_customer_ending_ends_the_contact_and_no_more_lines_go(wc):
    agent = wc.agents[0]
    ready(agent, "8001")
    visit = chatting(wc.entry, "13900000001", agent)
    chats.customer_end(visit_id=visit.pk)
    assert Contact.objects.get(pk=visit.contact_id).state == "ended"
    visit.refresh_from_db()
    assert selectors.visit_state(visit) == VisitState.ENDED
    with pytest.raises(Conflict):
        chats.customer_message(visit_id=visit.pk, text="还在吗")
    with pytest.raises(Conflict):
        chats.agent_message(actor=agent, contact_id=visit.contact_id, text="您好")


def test_the_agent_ending_is_seen_by_the_customer_state(wc):
    agent = wc.agents[0]
    ready(agent, "8001")
    visit = chatting(wc.entry, "13900000001", agent)
    ct.contact_end(contact_id=visit.contact_id, actor=agent)
    visit = selectors.visit_by_token(token=visit.token)
    assert selectors.visit_state(visit) == "ended"
    ct.contact_wrap_up(actor=agent, contact_id=visit.contact_id, disposition="solved")


def test_a_transfer_to_another_chat_queue_reaches_the_next_agent_with_the_transcript(wc):
    first, second = wc.agents
    ready(first, "8001")
    visit = chatting(wc.entry, "13900000001", first)
    chats.customer_message(visit_id=visit.pk, text="我要办理宽带")
    ready(second, "8002")
    ag_session = AgentSession.objects.get(staff=first, logged_out_at__isnull=True)
    ag_session.state = "not_ready"  # the first agent takes no more
    ag_session.save()
    ct.contact_transfer(actor=first, contact_id=visit.contact_id, to_queue=wc.spare)
    route()
    offer = ContactEvent.objects.filter(contact_id=visit.contact_id, kind="offered").last()
    assert offer.agent_id == second.pk
    ct.offer_accept(actor=second, offer_id=offer.data["offer"])
    _v, lines = selectors.transcript_get(actor=second, contact_id=visit.contact_id)
    assert "我要办理宽带" in [m.text for m in lines]
    chats.agent_message(actor=second, contact_id=visit.contact_id, text="好的")


def test_files_follow_the_work_order_attachment_rules(wc):
    agent = wc.agents[0]
    ready(agent, "8001")
    visit = chatting(wc.entry, "13900000001", agent)
    m = chats.customer_file(visit_id=visit.pk, name="../../bill.pdf", data=b"%PDF-1.4 bill", content_type="application/pdf")
    assert (m.file_name, m.file_size) == ("bill.pdf", 13) and "bill" not in m.file.name
    with pytest.raises(ValidationFailed) as exc:
        chats.customer_file(visit_id=visit.pk, name="virus.exe", data=b"MZ")
    assert exc.value.code == "attachment_type"
    with pytest.raises(ValidationFailed):
        chats.agent_file(actor=agent, contact_id=visit.contact_id, name="fake.pdf", data=b"not a pdf")
    assert ChatMessage.objects.filter(contact_id=visit.contact_id).exclude(file="").count() == 1


def test_outside_opening_hours_the_customer_leaves_a_message_to_follow_up(wc):
    wc.queue.opening_hours = {str(d): ["00:00", "00:00"] for d in range(1, 8)}  # never open
    wc.queue.save()
    visit = visit_for(wc.entry, "13900000001")
    with pytest.raises(Conflict) as exc:
        chats.chat_start(visit_id=visit.pk)
    assert exc.value.code == "closed"
    visit = chats.message_leave(visit_id=visit.pk, text="请明天给我回电话")
    contact = Contact.objects.get(pk=visit.contact_id)
    assert (contact.state, contact.disposition, contact.channel, contact.queue_id) == (
        "ended", "left_message", "chat", wc.queue.pk)
    assert ContactEvent.objects.filter(contact=contact, kind="message_left").exists()
    [(row, lines)] = selectors.left_messages(actor=wc.sup)
    assert row.pk == visit.pk and lines[0].text == "请明天给我回电话"
    chats.left_message_follow_up(actor=wc.agents[0], visit_id=visit.pk, note="已回电")
    assert selectors.left_messages(actor=wc.sup) == []
    with pytest.raises(Conflict):
        chats.left_message_follow_up(actor=wc.agents[0], visit_id=visit.pk)


def test_leaving_a_message_while_open_is_refused(wc):
    with pytest.raises(Conflict):
        chats.message_leave(visit_id=visit_for(wc.entry, "13900000001").pk, text="留言")


def test_history_shows_the_customers_earlier_chats_to_the_agent_holding_the_current_one(wc):
    agent = wc.agents[0]
    ready(agent, "8001")
    old = chatting(wc.entry, "13900000001", agent)
    chats.customer_message(visit_id=old.pk, text="上次的问题")
    ct.contact_end(contact_id=old.contact_id, actor=agent)
    ct.contact_wrap_up(actor=agent, contact_id=old.contact_id, disposition="solved")
    new = chatting(wc.entry, "13900000001", agent)
    [(earlier, lines)] = selectors.chat_history(actor=agent, contact_id=new.contact_id)
    assert earlier.pk == old.pk and "上次的问题" in [m.text for m in lines]
    with pytest.raises(NotFound):
        selectors.chat_history(actor=wc.agents[1], contact_id=new.contact_id)
