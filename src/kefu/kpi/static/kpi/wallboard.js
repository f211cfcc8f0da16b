// Wallboard: the socket (ws/kpi/) says "something changed" (contact-center events and each interval
// rebuild); the page then refetches one snapshot, at most about twice a second. A slow poll covers a lost socket.
(() => {
  "use strict";
  const root = document.getElementById("wallboard");
  if (!root) return;
  const API = root.dataset.api;
  const slot = (n) => root.querySelector(`[data-slot="${n}"]`);
  const cell = (tr, text, cls) => { const td = document.createElement("td"); td.textContent = text; if (cls) td.className = cls; tr.append(td); };
  async function load() {
    let r;
    try { r = await fetch(API + "/wallboard", { credentials: "same-origin", headers: { Accept: "application/json", "X-Kefu-Background": "1" } }); } catch (e) { return; }
    if (r.status === 401) { window.location.reload(); return; }
    if (!r.ok) return;
    const d = await r.json();
    slot("at").textContent = new Date(d.at).toLocaleTimeString();
    slot("waiting").textContent = d.waiting; slot("longest").textContent = d.longest_wait;
    slot("near").textContent = d.orders_near; slot("overdue").textContent = d.orders_overdue;
    slot("alerts").replaceChildren(...d.alerts.map((a) => { const p = document.createElement("div"); p.className = "alert"; p.textContent = a; return p; }));
    root.querySelector("[data-testid=wb-queues] tbody").replaceChildren(...d.queues.map((q) => {
      const tr = document.createElement("tr"); if (q.alerts.length) tr.className = "alerting";
      [q.name, q.waiting, q.longest_wait, q.answered, q.abandoned, q.service_level == null ? "—" : q.service_level + " %"].forEach((v) => cell(tr, v));
      return tr;
    }));
    slot("agents").replaceChildren(...Object.entries(d.agents).map(([s, n]) => { const b = document.createElement("span"); b.className = "agent-state"; b.dataset.state = s; b.textContent = `${s} ${n}`; return b; }));
    root.querySelector("[data-testid=wb-orders] tbody").replaceChildren(...d.orders.map((o) => {
      const tr = document.createElement("tr"); cell(tr, `${o.serial} ${o.title}`); cell(tr, o.holder);
      cell(tr, o.due ? new Date(o.due).toLocaleString() : "—", o.overdue ? "overdue" : ""); return tr;
    }));
  }
  let timer = null;
  const schedule = () => { if (!timer) timer = setTimeout(() => { timer = null; load(); }, 500); };
  function connect() {
    const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/kpi/");
    ws.onmessage = schedule;
    ws.onclose = () => setTimeout(connect, 5000);
  }
  root.querySelector("[data-action=fullscreen]").addEventListener("click", () => root.requestFullscreen && root.requestFullscreen());
  load(); connect(); setInterval(load, 15000);
})();
