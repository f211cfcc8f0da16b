// Supervisor view. Events on ws/supervisor/ only say "something changed": the
// page then refetches one small snapshot (/supervisor/snapshot), at most about
// twice a second however many events arrive, and redraws the two tables. A slow
// poll covers events lost while the socket was down.
(() => {
  "use strict";
  const root = document.getElementById("supervisor");
  if (!root) return;
  const API = root.dataset.api;
  const L = JSON.parse(document.getElementById("desk-labels").textContent);
  const csrf = document.querySelector("meta[name=csrf-token]").content;
  const $ = (sel, el = root) => el.querySelector(sel);
  const slot = (el, name) => el.querySelector(`[data-slot="${name}"]`);
  let snap = null, skew = 0, fetchedAt = 0;

  const clockText = (secs) => {
    secs = Math.max(0, Math.floor(secs));
    const h = Math.floor(secs / 3600), m = Math.floor((secs % 3600) / 60), s = secs % 60;
    const mm = String(m).padStart(2, "0"), ss = String(s).padStart(2, "0");
    return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
  };

  function say(text) {
    let box = document.querySelector(".messages");
    if (!box) { box = document.createElement("div"); box.className = "messages"; document.querySelector(".content").prepend(box); }
    const m = document.createElement("div"); m.className = "msg msg-error"; m.setAttribute("role", "alert"); m.textContent = text;
    box.append(m); setTimeout(() => m.remove(), 8000);
  }

  async function call(method, path, body) {
    const opts = { method, credentials: "same-origin", headers: { Accept: "application/json", "X-CSRFToken": csrf } };
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    // The wall board refreshes by itself: that is not activity that keeps an idle session alive.
    if (method === "GET") opts.headers["X-Kefu-Background"] = "1";
    let resp;
    try { resp = await fetch(API + path, opts); } catch (e) { return null; }
    let data = null;
    try { data = await resp.json(); } catch (e) { /* no body */ }
    if (resp.status === 401) { window.location.reload(); return null; }
    if (!resp.ok) { say((data && data.message) || resp.statusText); return null; }
    return data;
  }

  // --- throttled refetch --------------------------------------------------------------
  let timer = null, inflight = false, dirty = false;
  function schedule(delay = 150) {
    dirty = true;
    if (!timer && !inflight) timer = setTimeout(run, delay);
  }
  async function run() {
    timer = null; inflight = true; dirty = false;
    try { const d = await call("GET", "/supervisor/snapshot"); if (d) render(d); }
    finally { inflight = false; if (dirty) timer = setTimeout(run, 500); }
  }

  // --- drawing ------------------------------------------------------------------------
  function render(d) {
    snap = d; fetchedAt = Date.now(); skew = Date.parse(d.at) - fetchedAt;
    $("[data-testid=sv-updated]").textContent = new Date(d.at).toLocaleTimeString();
    const qbody = $("[data-testid=sv-queues] tbody");
    qbody.replaceChildren(...d.queues.map(queueRow));
    slot(root, "no-queues").hidden = d.queues.length > 0;
    const abody = $("[data-testid=sv-agents] tbody");
    abody.replaceChildren(...d.agents.map(agentRow));
    slot(root, "no-agents").hidden = d.agents.length > 0;
    const counts = {};
    d.agents.forEach((a) => { counts[a.state] = (counts[a.state] || 0) + 1; });
    $("[data-testid=sv-summary]").replaceChildren(...Object.entries(counts).map(([state, n]) => {
      const b = document.createElement("span"); b.className = "agent-state"; b.dataset.state = state;
      b.dataset.testid = `sv-count-${state}`; b.textContent = `${L.states[state] || state} ${n}`; return b;
    }));
    tick();
  }

  function queueRow(q) {
    const tr = document.getElementById("tpl-queue-row").content.firstElementChild.cloneNode(true);
    tr.dataset.code = q.code; tr.dataset.waiting = q.waiting; tr.dataset.longest = q.longest_wait;
    slot(tr, "name").textContent = q.name; slot(tr, "code").textContent = q.code;
    slot(tr, "closed").hidden = q.open;
    slot(tr, "waiting").textContent = q.waiting;
    slot(tr, "answered").textContent = q.answered;
    slot(tr, "abandoned").textContent = q.abandoned;
    const sl = slot(tr, "sl");
    if (q.service_level === null) { sl.textContent = "—"; } else {
      sl.textContent = `${q.service_level}%`;
      sl.className = `badge ${q.service_level >= q.sl_target_percent ? "ok" : "danger"}`;
    }
    slot(tr, "target").textContent = `${q.sl_target_percent}% / ${q.sl_target_seconds}${L.seconds}`;
    return tr;
  }

  function agentRow(a) {
    const tr = document.getElementById("tpl-agent-row").content.firstElementChild.cloneNode(true);
    tr.dataset.staff = a.staff; tr.dataset.since = a.since; tr.dataset.employeeNo = a.employee_no;
    tr.dataset.testid = `sv-agent-${a.employee_no}`;
    slot(tr, "name").textContent = a.name; slot(tr, "employee_no").textContent = a.employee_no;
    slot(tr, "extension").textContent = a.extension;
    const st = slot(tr, "state"); st.textContent = a.state_label; st.dataset.state = a.state;
    slot(tr, "reason").textContent = a.reason_label;
    const c = a.contact;
    if (c) {
      const who = c.customer ? `${c.customer} ${c.caller}` : c.caller;
      slot(tr, "contact").textContent = `${who} · ${c.queue} · ${c.state_label}`;
      if (c.tier === "vip" || c.tier === "gotone") {
        const b = document.createElement("span"); b.className = c.tier === "vip" ? "badge vip" : "badge";
        b.textContent = L.tiers[c.tier]; slot(tr, "contact").prepend(b, " ");
      }
    }
    const logout = tr.querySelector("[data-action=logout]");
    if (logout) logout.disabled = a.state === "busy" || a.state === "hold";
    const nr = tr.querySelector("[data-action=not_ready]");
    if (nr) nr.disabled = a.state === "not_ready";
    return tr;
  }

  function tick() {
    if (!snap) return;
    const now = Date.now() + skew, gone = (Date.now() - fetchedAt) / 1000;
    root.querySelectorAll("[data-testid=sv-agents] tr[data-since]").forEach((tr) => {
      slot(tr, "timer").textContent = clockText((now - Date.parse(tr.dataset.since)) / 1000);
    });
    root.querySelectorAll("[data-testid=sv-queues] tr[data-code]").forEach((tr) => {
      const waiting = Number(tr.dataset.waiting);
      slot(tr, "longest").textContent = waiting ? clockText(Number(tr.dataset.longest) + gone) : "—";
    });
  }

  root.addEventListener("click", async (ev) => {
    const btn = ev.target.closest("[data-action]");
    if (!btn || btn.disabled) return;
    const tr = btn.closest("tr[data-staff]");
    const action = btn.dataset.action;
    if (!window.confirm(action === "logout" ? L.confirm_force_logout : L.confirm_force_not_ready)) return;
    btn.disabled = true;
    await call("POST", `/supervisor/agents/${tr.dataset.staff}/force`, { action });
    schedule(0);
  });

  // --- live events ---------------------------------------------------------------------
  let ws = null, retry = 0;
  function status(on) { $("[data-testid=ws-status]").dataset.connected = on ? "1" : "0"; }
  function connect() {
    ws = new WebSocket(`${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}${root.dataset.ws}`);
    ws.onmessage = (e) => {
      let ev;
      try { ev = JSON.parse(e.data); } catch (err) { return; }
      if (ev.type === "hello") { retry = 0; status(true); }
      if (ev.type !== "pong") schedule();
    };
    ws.onclose = () => { status(false); setTimeout(connect, Math.min(30000, 1000 * 2 ** retry++)); };
  }
  setInterval(() => { if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "ping" })); }, 25000);
  setInterval(tick, 1000);
  setInterval(() => schedule(0), 15000);
  schedule(0);
  connect();
})();
