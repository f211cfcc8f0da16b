// Internal messages on every page of a logged-in person (base.html): pop-ups to acknowledge, scrolling
// banners, highlights and a sound. On load (so also right after login) the page asks GET /pending for what
// it must still show; the notification socket (ws/notify/) then pushes each new message as it is sent, and
// "message.read" when the person read or acknowledged one elsewhere (another tab), which closes it here.
// A push lost while the socket was down is repaired on reconnect and by a slow resync (data-resync ms).
(() => {
  "use strict";
  const root = document.getElementById("kefu-notify");
  if (!root) return;
  const API = root.dataset.api;
  const L = JSON.parse(document.getElementById("notify-labels").textContent);
  const csrf = (document.querySelector("meta[name=csrf-token]") || {}).content || "";
  const boxes = {
    popup: root.querySelector(".notify-popups"),
    banner: root.querySelector(".notify-banners"),
    highlight: root.querySelector(".notify-highlights"),
  };
  const shown = new Map();  // message id → element on screen
  let unread = 0;

  // Banners and highlights belong at the top of the page's content, pop-ups above everything.
  const content = document.querySelector(".content");
  if (content) { content.prepend(boxes.highlight); content.prepend(boxes.banner); }

  async function call(method, path) {
    const opts = { method, credentials: "same-origin", headers: { Accept: "application/json", "X-CSRFToken": csrf } };
    let resp;
    try { resp = await fetch(API + path, opts); } catch (e) { return null; }
    if (!resp.ok) return null;
    try { return await resp.json(); } catch (e) { return null; }
  }

  function setUnread(n) {
    unread = Math.max(0, n);
    document.querySelectorAll("[data-notify-unread]").forEach((el) => {
      el.textContent = String(unread);
      el.hidden = unread === 0;
    });
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function when(iso) {
    const d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleString();
  }

  function remove(id) {
    const node = shown.get(id);
    if (node) { node.remove(); shown.delete(id); }
  }

  function beep() {
    try {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return;
      const ctx = new Ctx();
      const osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.frequency.value = 880; gain.gain.value = 0.15;
      osc.connect(gain); gain.connect(ctx.destination);
      osc.start(); osc.stop(ctx.currentTime + 0.35);
      root.dataset.beeped = String(Number(root.dataset.beeped || 0) + 1);
    } catch (e) { /* a page without a gesture may not play sound */ }
  }

  function openLink(m) {
    const a = el("a", "notify-open", m.truncated ? L.more : L.open);
    a.href = `${root.dataset.inbox}${m.id}/`;
    return a;
  }

  async function mark(m, action) {
    const done = await call("POST", `/messages/${m.id}/${action}`);
    if (done) { remove(m.id); refreshSoon(); }
  }

  function drawPopup(m) {
    const box = el("div", `notify-popup priority-${m.priority}`);
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", `notify-popup-${m.id}`);
    box.dataset.testid = "notify-popup";
    box.dataset.message = m.id;
    const title = el("h2", "", m.subject); title.id = `notify-popup-${m.id}`;
    box.append(title, el("div", "muted", `${L.from} ${m.sender} · ${when(m.sent_at)}`), el("pre", "notify-body", m.body));
    const bar = el("div", "toolbar");
    const ack = el("button", "btn", L.acknowledge);
    ack.type = "button"; ack.dataset.testid = "notify-acknowledge";
    ack.addEventListener("click", () => mark(m, "acknowledge"));
    bar.append(ack, openLink(m));
    box.append(bar);
    boxes.popup.append(box);
    boxes.popup.hidden = false;
    return box;
  }

  function drawBanner(m) {
    const bar = el("div", `notify-banner priority-${m.priority}`);
    bar.dataset.testid = "notify-banner"; bar.dataset.message = m.id;
    const track = el("div", "notify-track");
    const text = el("a", "", `${m.subject} — ${m.body.replace(/\s+/g, " ")}`);
    text.href = `${root.dataset.inbox}${m.id}/`;
    track.append(text);
    const close = el("button", "link notify-close", "×");
    close.type = "button"; close.title = L.close; close.setAttribute("aria-label", L.close);
    close.addEventListener("click", () => mark(m, "read"));
    bar.append(el("strong", "notify-label", L.notice), track, close);
    boxes.banner.append(bar);
    return bar;
  }

  function drawHighlight(m) {
    const card = el("div", `notify-highlight priority-${m.priority}`);
    card.dataset.testid = "notify-highlight"; card.dataset.message = m.id;
    card.append(el("strong", "", m.subject), el("span", "muted", ` · ${m.sender} · ${when(m.sent_at)}`),
                el("pre", "notify-body", m.body));
    const bar = el("div", "toolbar");
    const read = el("button", "btn small secondary", L.mark_read);
    read.type = "button";
    read.addEventListener("click", () => mark(m, "read"));
    bar.append(read, openLink(m));
    card.append(bar);
    boxes.highlight.append(card);
    return card;
  }

  function draw(m) {
    if (shown.has(m.id)) return false;
    const painter = { popup: drawPopup, banner: drawBanner, highlight: drawHighlight }[m.display];
    if (!painter) return false;
    shown.set(m.id, painter(m));
    if (m.expires_at) {
      const left = new Date(m.expires_at) - Date.now();
      if (left > 0 && left < 2 ** 31 - 1) setTimeout(() => remove(m.id), left);
    }
    return true;
  }

  let inflight = false, again = false, fetchedAt = 0;
  async function refresh() {
    if (inflight) { again = true; return; }
    inflight = true; fetchedAt = Date.now();
    try {
      const p = await call("GET", "/pending");
      if (!p) return;
      const live = new Set([...p.popups, ...p.notices].map((m) => m.id));
      for (const id of [...shown.keys()]) if (!live.has(id)) remove(id);
      [...p.popups, ...p.notices].forEach(draw);
      setUnread(p.unread);
    } finally {
      inflight = false;
      if (again) { again = false; refresh(); }
    }
  }
  let soon = null;
  function refreshSoon() { clearTimeout(soon); soon = setTimeout(refresh, 200); }

  let ws = null, retry = 0;
  function connect() {
    ws = new WebSocket(`${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}${root.dataset.ws}`);
    ws.onmessage = (e) => {
      let ev;
      try { ev = JSON.parse(e.data); } catch (err) { return; }
      if (ev.type === "hello") { retry = 0; root.dataset.connected = "1"; refresh(); return; }
      if (ev.type === "message") {
        draw(ev);
        setUnread(unread + 1);
        if (ev.sound) beep();
      } else if (ev.type === "message.read") {
        remove(ev.id);
        refreshSoon();
      }
    };
    ws.onclose = (e) => {
      root.dataset.connected = "0";
      if (e.code === 4401) return;  // logged out: nothing more to hear
      setTimeout(connect, Math.min(30000, 1000 * 2 ** retry++));
    };
  }
  setInterval(() => { if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "ping" })); }, 25000);
  const RESYNC = Number(root.dataset.resync) || 60000;
  setInterval(() => { if (!document.hidden && Date.now() - fetchedAt >= RESYNC) refresh(); }, RESYNC / 4);
  refresh();
  if ("WebSocket" in window) connect();
})();
