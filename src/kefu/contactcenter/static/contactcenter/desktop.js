// Agent desktop. The page is drawn from GET /api/contactcenter/agent/me; every
// action answers with the same state, and a WebSocket event (ws/agent/) makes
// the page ask again unless it already shows what the event says: an agent.state
// event carries the session's version, and a desk drawn at that version or later
// needs nothing (the state changes an action made come back in its own answer).
// Events that arrive together are fetched for once. So a reload, a lost event or
// a second tab all end up showing what the database says. An offer is drawn at once from the event's
// screen pop, before the confirming request returns. A push can still be lost (a
// socket down, a server that dropped it): the page also refetches on every
// (re)connect and on a heartbeat (data-resync ms; every 5 s while the socket is
// down), so a missed offer shows up within one heartbeat.
(() => {
  "use strict";
  const root = document.getElementById("desk");
  if (!root) return;
  const API = root.dataset.api;
  const L = JSON.parse(document.getElementById("desk-labels").textContent);
  const csrf = document.querySelector("meta[name=csrf-token]").content;
  const $ = (sel, el = root) => el.querySelector(sel);
  const slot = (el, name) => el.querySelector(`[data-slot="${name}"]`);

  let desk = null;        // last state drawn
  let skew = 0;           // server clock minus local clock (ms)
  let offer = null;       // the offer on screen
  let wrapId = null;      // the contact in the wrap-up form
  let defaultDispositions = null;  // the wrap-up's own choices, while a campaign's replace them
  let working = false;    // an action is on its way

  // --- talking to the server ---------------------------------------------------
  function say(text, kind = "error") {
    let box = document.querySelector(".messages");
    if (!box) { box = document.createElement("div"); box.className = "messages"; document.querySelector(".content").prepend(box); }
    const m = document.createElement("div");
    m.className = `msg msg-${kind}`; m.setAttribute("role", kind === "error" ? "alert" : "status");
    m.dataset.testid = "desk-message"; m.textContent = text;
    box.append(m);
    setTimeout(() => m.remove(), 8000);
  }

  async function call(method, path, body) {
    const opts = { method, credentials: "same-origin", headers: { Accept: "application/json", "X-CSRFToken": csrf } };
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    let resp;
    try { resp = await fetch(API + path, opts); } catch (e) { say(L.connection_lost); return null; }
    let data = null;
    try { data = await resp.json(); } catch (e) { /* no body */ }
    if (resp.status === 401) { window.location.reload(); return null; }
    if (!resp.ok) { say((data && data.message) || resp.statusText); return null; }
    return data;
  }

  let inflight = false, again = false, fetchedAt = 0;
  async function refresh() {
    if (inflight) { again = true; return; }
    inflight = true; fetchedAt = Date.now();
    try { const d = await call("GET", "/agent/me"); if (d) render(d); }
    finally { inflight = false; if (again) { again = false; refresh(); } }
  }

  async function act(path, body) {
    if (working) return;
    working = true; root.classList.add("working"); root.setAttribute("aria-busy", "true");
    try {
      const d = await call("POST", path, body === undefined ? {} : body);
      if (d) render(d); else refresh();
    } finally {
      working = false; root.classList.remove("working"); root.removeAttribute("aria-busy");
      if (owed && (owed.other || owed.version > shownVersion())) refresh.soon();
      owed = null;
    }
  }

  // --- which events need a fetch -------------------------------------------------------
  let owed = null;  // events that came while an action was on its way: decided once its answer is drawn
  const shownVersion = () => (desk && desk.session && desk.session.version) || 0;
  function eventNeedsFetch(ev) {
    const version = ev.type === "agent.state" && typeof ev.version === "number" ? ev.version : null;
    if (working) {
      owed = owed || { version: 0, other: false };
      if (version === null) owed.other = true; else owed.version = Math.max(owed.version, version);
      return false;
    }
    return version === null || version > shownVersion();
  }

  // --- drawing -----------------------------------------------------------------------
  const clockText = (secs) => {
    secs = Math.max(0, Math.floor(secs));
    const h = Math.floor(secs / 3600), m = Math.floor((secs % 3600) / 60), s = secs % 60;
    const mm = String(m).padStart(2, "0"), ss = String(s).padStart(2, "0");
    return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
  };
  const since = (iso) => (Date.now() + skew - Date.parse(iso)) / 1000;
  const li = (text, extra) => {
    const el = document.createElement("li"); el.textContent = text;
    if (extra) { const s = document.createElement("span"); s.className = "muted"; s.textContent = ` ${extra}`; el.append(s); }
    return el;
  };

  function fillPop(box, pop) {
    box.replaceChildren(document.getElementById("tpl-pop").content.cloneNode(true));
    const c = pop.customer;
    slot(box, "caller").textContent = pop.caller || "—";
    slot(box, "queue").textContent = pop.queue || "";
    slot(box, "verified").hidden = !pop.identity_verified;
    const tier = slot(box, "tier");
    tier.textContent = (L.tiers[pop.tier] || "");
    tier.hidden = !tier.textContent;
    if (pop.tier !== "vip") tier.className = "badge";
    slot(box, "unknown").hidden = !!c;
    slot(box, "known").hidden = !c;
    slot(box, "vip-level").hidden = true;
    if (!c) { slot(box, "name").textContent = pop.caller || ""; return; }
    slot(box, "name").textContent = c.name;
    if (c.vip_level) { slot(box, "vip-level").hidden = false; slot(box, "vip-level").textContent = L.vip_levels[c.vip_level] || c.vip_level; }
    if (root.dataset.customerUrl) {
      const a = slot(box, "customer-link"); a.hidden = false; a.href = root.dataset.customerUrl.replace("{id}", c.id);
    }
    const subs = slot(box, "subscribers");
    (c.subscribers || []).forEach((s) => subs.append(li(s.number, `${L.brands[s.brand] || s.brand} · ${L.subscriber_status[s.status] || s.status}`)));
    if (!subs.children.length) subs.append(li(L.none));
    const billing = slot(box, "billing");
    if (root.dataset.billingUrl && window.htmx) {
      billing.setAttribute("hx-get", root.dataset.billingUrl.replace("{id}", c.id));
      billing.setAttribute("hx-trigger", "load");
      billing.setAttribute("hx-swap", "innerHTML");
      htmx.process(billing);
    } else {
      slot(box, "balance").textContent = c.balance;
    }
    const recent = slot(box, "recent");
    (c.recent_contacts || []).forEach((r) => recent.append(li(new Date(r.at).toLocaleString(), `${L.channels[r.channel] || r.channel} ${L.dispositions[r.disposition] || r.disposition || ""}`)));
    if (!recent.children.length) recent.append(li(L.none));
    const orders = slot(box, "orders");
    (c.open_orders || []).forEach((o) => orders.append(li(`${o.serial} ${o.title}`, L.kinds[o.kind] || o.kind)));
    if (!orders.children.length) orders.append(li(L.none));
  }

  // A call Kefu places (a callback) rings as a preview: who, why, which attempt; accepting dials.
  function fillPreview(box, out) {
    const preview = slot(box, "preview");
    preview.hidden = !out;
    const detail = out && out.detail;  // what the call's purpose says (a campaign: its name and script)
    slot(box, "title-in").hidden = !!out; slot(box, "title-out").hidden = !out || !!detail;
    slot(box, "title-campaign").hidden = !detail;
    slot(box, "accept-in").hidden = !!out; slot(box, "accept-out").hidden = !out;
    const script = slot(box, "preview-script");
    script.textContent = (detail && detail.script) || ""; script.hidden = !script.textContent;
    if (!out) return;
    slot(box, "preview-number").textContent = out.number;
    slot(box, "preview-reason").textContent = (detail && detail.title) || L.callback_reasons[out.reason] || out.purpose;
    const max = (detail && detail.max_attempts) || out.max_attempts;
    slot(box, "preview-attempt").textContent = `${L.attempt} ${out.attempt}${max ? "/" + max : ""}`;
    slot(box, "preview-last").textContent = out.last_outcome ? `${L.last_outcome} ${L.dial_outcomes[out.last_outcome] || out.last_outcome}` : "";
  }

  function drawDial(dl) {
    const box = $("#desk-dial");
    if (!dl) { box.hidden = true; return; }
    box.dataset.state = dl.state;
    slot(box, "dial-state").textContent = dl.state_label;
    slot(box, "dial-number").textContent = dl.number;
    slot(box, "dial-outcome").textContent = dl.state === "failed" ? dl.outcome_label : "";
    box.hidden = false;
  }

  function showOffer(o) {
    const box = $("#desk-offer");
    if (!o) { box.hidden = true; offer = null; return; }
    if (!offer || offer.id !== o.id) {
      fillPop(slot(box, "pop"), o.pop);
      fillPreview(box, o.pop.outbound);
      slot(box, "channel").textContent = L.channels[o.pop.channel] || "";
    }
    const placed = o.pop && o.pop.outbound && o.pop.outbound.detail;
    const script = (placed && placed.script) || o.script;
    if (script) showScript(script);  // the event carries no script; the refetch that follows does
    offer = o; box.hidden = false;
  }

  function orderList(orders) {
    const ul = document.createElement("ul"); ul.className = "plain";
    orders.forEach((o) => {
      const item = document.createElement("li"); const a = document.createElement("a");
      a.href = `/workorders/${encodeURIComponent(o.serial)}/`; a.target = "_blank"; a.rel = "noopener";
      a.textContent = o.serial; a.dataset.testid = "linked-order";
      item.append(a, ` ${o.title}`); ul.append(item);
    });
    return ul;
  }

  function drawContacts(list) {
    const box = $("#desk-contacts");
    const keep = new Set(list.map((c) => String(c.id)));
    box.querySelectorAll("[data-contact-id]").forEach((el) => { if (!keep.has(el.dataset.contactId)) el.remove(); });
    list.forEach((c) => {
      let card = box.querySelector(`[data-contact-id="${c.id}"]`);
      if (!card) {
        card = document.getElementById("tpl-contact").content.firstElementChild.cloneNode(true);
        card.dataset.contactId = c.id;
        card.dataset.channel = c.channel;
        fillPop(slot(card, "pop"), c.pop);
        const sel = slot(card, "queues");
        // A chat goes on to a chat queue, a call to a call queue.
        desk.queues.filter((q) => (q.channel === "chat") === (c.channel === "chat")).forEach((q) => {
          const op = document.createElement("option"); op.value = q.code; op.textContent = `${q.name} (${q.code})`; sel.append(op);
        });
        if (c.channel === "chat") {
          card.querySelector("[data-form=conference]").remove();
          card.querySelector("[data-form=transfer] option[value=number]").remove();
        }
        const link = slot(card, "order-link");
        if (root.dataset.canOrder) {
          const params = new URLSearchParams({ kind: "complaint", contact: c.id });
          if (c.customer_id) params.set("customer", c.customer_id);
          link.href = `${root.dataset.orderUrl}?${params}`; link.hidden = false;
        }
        box.append(card);
        // Another channel's panel (the web chat's) fills its part of the card.
        document.dispatchEvent(new CustomEvent("kefu:desk-card", { detail: { card, contact: c } }));
      }
      card.dataset.answeredAt = c.answered_at || "";
      slot(card, "state").textContent = c.state_label;
      slot(card, "state").dataset.state = c.state;
      slot(card, "end-call").hidden = c.state === "dialling";
      slot(card, "end-dial").hidden = c.state !== "dialling";
      card.querySelector(".desk-more").hidden = c.state === "dialling";
      slot(card, "conference").hidden = !c.conference;
      card.querySelector("[data-action=hold]").hidden = c.state !== "connected" || c.channel === "chat";
      card.querySelector("[data-action=unhold]").hidden = c.state !== "held" || c.channel === "chat";
      const linked = slot(card, "linked");
      linked.replaceChildren(...(c.orders.length ? [orderList(c.orders)] : []));
    });
  }

  function drawWrapUp(w, session) {
    const box = $("#desk-wrapup");
    if (!w) { box.hidden = true; wrapId = null; return; }
    if (wrapId !== w.id) {
      wrapId = w.id;
      const form = $("#wrapup-form");
      // A call Kefu placed for a purpose with its own outcomes (a campaign) is wrapped up with those.
      const sel = form.disposition;
      if (!defaultDispositions) defaultDispositions = Array.from(sel.options).map((op) => [op.value, op.textContent]);
      const outcomes = w.outbound && w.outbound.detail && w.outbound.detail.outcomes;
      sel.replaceChildren(...(outcomes ? [["", "—"], ...outcomes] : defaultDispositions).map(([value, label]) => {
        const op = document.createElement("option"); op.value = value; op.textContent = label; return op;
      }));
      form.reset();
      if (w.orders.length) form.disposition.value = "work_order";
    }
    slot(box, "caller").textContent = w.caller;
    slot(box, "orders").replaceChildren(...(w.orders.length ? [orderList(w.orders)] : []));
    box.dataset.until = (session && session.wrap_up_until) || "";
    box.hidden = false;
  }

  function showScript(text) {
    const el = $("[data-testid=queue-script]");
    if (text && el.dataset.text !== text) { el.dataset.text = text; el.textContent = text; }
  }

  function render(d) {
    if (desk && Date.parse(d.at) < Date.parse(desk.at)) return;  // an older answer overtaken by a newer one
    desk = d; skew = Date.parse(d.at) - Date.now();
    const s = d.session;
    $("#desk-login").hidden = !!s;
    $("#desk-session").hidden = !s;
    if (s) {
      const st = $("[data-testid=agent-state]");
      st.textContent = s.state_label; st.dataset.state = s.state;
      $("[data-testid=agent-reason]").textContent = s.reason_label || "";
      slot(root, "extension").textContent = s.extension;
      const handling = ["offered", "busy", "hold"].includes(s.state);
      root.querySelector("[data-action=ready]").disabled = s.state === "ready" || handling;
      root.querySelector("[data-action=logout]").disabled = s.state === "busy" || s.state === "hold";
    }
    showOffer(s && d.offer ? d.offer : null);
    drawContacts(s ? d.contacts : []);
    drawWrapUp(d.wrap_up, s);
    drawDial(s ? d.dial : null);
    const current = d.contacts[0] || d.wrap_up;
    const placed = current && current.outbound && current.outbound.detail;
    const script = (placed && placed.script) || (current && current.script);
    if (script) showScript(script);
    $("#desk-idle").hidden = !!(d.offer || d.contacts.length || d.wrap_up || d.dial) || !s;
    $("[data-testid=today-handled]").textContent = d.today.handled;
    $("[data-testid=today-aht]").textContent = d.today.aht_seconds == null ? "—" : clockText(d.today.aht_seconds);
    tick();
  }

  function tick() {
    if (!desk) return;
    const s = desk.session;
    if (s) $("[data-testid=state-timer]").textContent = clockText(since(s.since));
    if (offer) {
      const left = Math.max(0, Math.ceil((Date.parse(offer.expires_at) - Date.now() - skew) / 1000));
      $("[data-testid=offer-countdown]").textContent = `${left}${L.seconds}`;
      if (left === 0) refresh.later();
    }
    root.querySelectorAll("[data-contact-id]").forEach((card) => {
      if (card.dataset.answeredAt) slot(card, "talk-timer").textContent = clockText(since(card.dataset.answeredAt));
    });
    const w = $("#desk-wrapup");
    if (!w.hidden && w.dataset.until) {
      const left = Math.max(0, Math.ceil((Date.parse(w.dataset.until) - Date.now() - skew) / 1000));
      $("[data-testid=wrapup-timer]").textContent = `${left}${L.seconds}`;
    } else {
      $("[data-testid=wrapup-timer]").textContent = "";
    }
  }
  let later = null;
  refresh.later = () => { if (!later) later = setTimeout(() => { later = null; refresh(); }, 1500); };
  let soon = null;  // events pushed by one change arrive together: one fetch for all of them
  refresh.soon = () => { if (!soon) soon = setTimeout(() => { soon = null; refresh(); }, 30); };

  // --- what the agent does ------------------------------------------------------------
  root.addEventListener("click", (ev) => {
    const btn = ev.target.closest("[data-action]");
    if (!btn || btn.disabled) return;
    const card = btn.closest("[data-contact-id]");
    const cid = card && card.dataset.contactId;
    switch (btn.dataset.action) {
      case "ready": act("/agent/state", { state: "ready" }); break;
      case "not-ready": act("/agent/state", { state: "not_ready", reason: $("#desk-reason").value }); break;
      case "logout": if (window.confirm(L.confirm_logout)) act("/agent/logout"); break;
      case "accept": if (offer) act(`/offers/${offer.id}/accept`); break;
      case "reject": if (offer) act(`/offers/${offer.id}/reject`); break;
      case "hold": act(`/contacts/${cid}/hold`); break;
      case "unhold": act(`/contacts/${cid}/unhold`); break;
      case "end": act(`/contacts/${cid}/end`); break;
      default: break;
    }
  });

  root.addEventListener("change", (ev) => {
    if (ev.target.name !== "kind" || !ev.target.closest("[data-form=transfer]")) return;
    const form = ev.target.form;
    form.queue.hidden = ev.target.value !== "queue";
    form.dest.hidden = ev.target.value === "queue";
  });

  root.addEventListener("submit", (ev) => {
    const form = ev.target;
    ev.preventDefault();
    if (form.id === "desk-login") { act("/agent/login", { extension: form.extension.value.trim() }); return; }
    if (form.id === "wrapup-form") {
      if (wrapId) act(`/contacts/${wrapId}/wrap-up`, { disposition: form.disposition.value, notes: form.notes.value });
      return;
    }
    const cid = form.closest("[data-contact-id]").dataset.contactId;
    if (form.dataset.form === "transfer") {
      const kind = form.kind.value, target = form.dest.value.trim();
      const body = { to_queue: kind === "queue" ? form.queue.value : "", to_agent: kind === "agent" ? target : "",
        to_number: kind === "number" ? target : "" };
      act(`/contacts/${cid}/transfer`, body);
    } else if (form.dataset.form === "conference") {
      act(`/contacts/${cid}/conference`, { number: form.number.value.trim() });
    }
  });

  // Back from the work-order tab: show the order linked to the contact.
  window.addEventListener("focus", () => refresh());
  document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });

  // --- live events ---------------------------------------------------------------------
  let ws = null, retry = 0;
  function status(on) {
    const el = $("[data-testid=ws-status]");
    el.dataset.connected = on ? "1" : "0";
    el.title = on ? "" : L.connection_lost;
  }
  function connect() {
    ws = new WebSocket(`${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}${root.dataset.ws}`);
    ws.onmessage = (e) => {
      let ev;
      try { ev = JSON.parse(e.data); } catch (err) { return; }
      if (ev.type === "hello") { retry = 0; status(true); refresh(); return; }
      if (ev.type === "pong") return;
      document.dispatchEvent(new CustomEvent("kefu:desk-event", { detail: ev }));
      if (ev.type.startsWith("chat.")) return;  // lines and typing of a chat: its panel draws them
      if (ev.type === "offer" && desk && desk.session) {
        showOffer({ id: ev.offer, contact: ev.contact, expires_at: ev.expires_at, pop: ev.pop, script: "" });
        $("#desk-idle").hidden = true;
        tick();
      }
      if (eventNeedsFetch(ev)) refresh.soon();
    };
    ws.onclose = () => {
      status(false);
      setTimeout(connect, Math.min(30000, 1000 * 2 ** retry++));
    };
  }
  setInterval(() => { if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "ping" })); }, 25000);
  // The heartbeat resync: what the pushes should have said, fetched when nothing was fetched for a while.
  const RESYNC = Number(root.dataset.resync) || 15000;
  setInterval(() => {
    const up = ws && ws.readyState === WebSocket.OPEN;
    if (!document.hidden && Date.now() - fetchedAt >= (up ? RESYNC : Math.min(RESYNC, 5000)) - 250) refresh();
  }, Math.min(RESYNC, 5000) / 2);
  setInterval(tick, 1000);
  refresh();
  connect();
})();
