// The customer's chat page. The page is drawn from the state the server gives
// (in the page, then from <base>/state/); identification, start, leaving a
// message and files are JSON/form requests with the CSRF token; lines, typing
// and end go over the socket (/ws/webchat/), which also brings the agent's lines,
// typing and the chat's changes. Events about the chat itself (answered,
// transferred, ended) make the page fetch its state again; a line is drawn once
// (by its id) whichever way it came.
(() => {
  "use strict";
  const root = document.getElementById("chat");
  if (!root) return;
  const BASE = root.dataset.base;
  const L = JSON.parse(document.getElementById("chat-labels").textContent);
  const csrf = document.querySelector("meta[name=csrf-token]").content;
  const $ = (sel) => root.querySelector(sel);
  let state = JSON.parse(document.getElementById("chat-state").textContent);
  let ws = null, retry = 0, typingTimer = null, lastTyping = 0;

  function error(text) {
    const el = $("[data-testid=chat-error]");
    el.textContent = text || ""; el.hidden = !text;
  }

  async function call(path, opts = {}) {
    const headers = { Accept: "application/json", "X-CSRFToken": csrf };
    if (opts.json !== undefined) headers["Content-Type"] = "application/json";
    let resp;
    try {
      resp = await fetch(BASE + path, { method: opts.method || "POST", credentials: "same-origin", headers,
        body: opts.json !== undefined ? JSON.stringify(opts.json) : opts.body });
    } catch (e) { error(L.lost); return null; }
    let data = null;
    try { data = await resp.json(); } catch (e) { /* no body */ }
    if (!resp.ok) { error((data && data.message) || resp.statusText); return null; }
    error("");
    return data;
  }

  function line(m) {
    const list = $("[data-testid=lines]");
    if (list.querySelector(`[data-id="${m.id}"]`)) return;
    const li = document.createElement("li");
    li.className = `line ${m.sender}`; li.dataset.id = m.id; li.dataset.testid = "line"; li.dataset.sender = m.sender;
    const who = document.createElement("span"); who.className = "who";
    who.textContent = m.sender === "customer" ? L.you : m.sender === "agent" ? L.agent : L.system;
    const body = document.createElement("span"); body.className = "text";
    if (m.file) {
      const a = document.createElement("a"); a.href = `${BASE}/files/${m.id}/`; a.textContent = `${m.file.name}`;
      body.append(a);
    } else {
      body.textContent = m.text;
    }
    li.append(who, body);
    list.append(li);
    li.scrollIntoView({ block: "end" });
    if (m.sender === "agent") $("[data-testid=agent-typing]").hidden = true;
  }

  function render(s) {
    state = s;
    const v = s.visit;
    const st = v ? v.state : null;
    $("#identify").hidden = !!v;
    $("#ready").hidden = st !== "identified";
    $("#talk").hidden = st !== "chatting" && st !== "ended";
    $("#send-form").hidden = st !== "chatting";
    $("#done").hidden = !["ended", "left_message", "followed_up"].includes(st);
    const status = $("[data-testid=chat-status]");
    status.textContent = st === "chatting" ? (v.answered ? L.talking : L.waiting) : "";
    if (v) {
      $("[data-testid=identified-as]").textContent = `${L.identified} ${v.mobile}`;
      $("[data-testid=guest-note]").hidden = !v.guest;
      $("[data-slot=open]").hidden = !s.open;
      $("[data-slot=closed]").hidden = s.open;
      $("#done [data-slot=text]").textContent = st === "ended" ? L.ended : st === "left_message" ? L.left
        : st === "followed_up" ? L.followed : "";
    }
    (s.messages || []).forEach(line);
    if (st === "chatting") connect(); else if (ws) { ws.onclose = null; ws.close(); ws = null; }
  }

  async function refresh() {
    const s = await call("/state/", { method: "GET" });
    if (s) render(s);
  }

  function connect() {
    if (ws) return;
    ws = new WebSocket(`${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}${root.dataset.ws}`);
    ws.onmessage = (e) => {
      let ev;
      try { ev = JSON.parse(e.data); } catch (err) { return; }
      if (ev.type === "hello") { retry = 0; root.dataset.connected = "1"; refresh(); return; }
      if (ev.type === "chat.message") { line(ev.message); return; }
      if (ev.type === "chat.typing") {
        const el = $("[data-testid=agent-typing]"); el.hidden = false;
        clearTimeout(typingTimer); typingTimer = setTimeout(() => { el.hidden = true; }, 4000);
        return;
      }
      if (ev.type === "error") { error(ev.message); return; }
      if (ev.type === "contact.transferred") $("[data-testid=chat-status]").textContent = L.transferred;
      if (ev.type.startsWith("contact.")) refresh();
    };
    ws.onclose = (e) => {
      ws = null; root.dataset.connected = "0";
      if (e.code === 4404) return;  // no live chat for this browser
      setTimeout(() => { if (state.visit && state.visit.state === "chatting") connect(); }, Math.min(30000, 1000 * 2 ** retry++));
    };
  }
  const send = (msg) => { if (ws && ws.readyState === WebSocket.OPEN) { ws.send(JSON.stringify(msg)); return true; } error(L.lost); return false; };

  $("#code-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const r = await call("/code/", { json: { mobile: ev.target.mobile.value.trim() } });
    if (r) { $("[data-testid=chat-status]").textContent = L.sent; $("#code").focus(); }
  });
  $("#verify-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const r = await call("/verify/", { json: { mobile: $("#mobile").value.trim(), code: ev.target.code.value.trim() } });
    if (r) render(r);
  });
  $("#leave-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const r = await call("/leave/", { json: { text: ev.target.text.value } });
    if (r) render(r);
  });
  root.addEventListener("click", async (ev) => {
    const btn = ev.target.closest("[data-action]");
    if (!btn) return;
    if (btn.dataset.action === "start") { const r = await call("/start/", { json: {} }); if (r) render(r); }
    if (btn.dataset.action === "end" && window.confirm(L.confirm_end)) send({ type: "end" });
  });
  const form = $("#send-form");
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = form.text.value.trim();
    if (text && send({ type: "message", text })) form.text.value = "";
  });
  form.text.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); form.requestSubmit(); }
  });
  form.text.addEventListener("input", () => {
    if (Date.now() - lastTyping > 2000) { lastTyping = Date.now(); send({ type: "typing" }); }
  });
  form.file.addEventListener("change", async () => {
    const f = form.file.files[0];
    if (!f) return;
    const body = new FormData(); body.append("file", f);
    const m = await call("/files/", { body });
    form.file.value = "";
    if (m) line(m);
  });
  setInterval(() => { if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "ping" })); }, 25000);
  render(state);
})();
