// The web chat panel of the agent desktop. desktop.js draws a card per contact
// and announces each new card ("kefu:desk-card") and each socket event
// ("kefu:desk-event"); for a chat card this script loads the transcript from
// /api/webchat, draws lines as they are pushed (chat.message, once per id),
// shows the customer typing (chat.typing), and sends the agent's lines, files
// and typing. Transfer and end stay the card's own buttons.
(() => {
  "use strict";
  const labelsEl = document.getElementById("webchat-labels");
  if (!labelsEl) return;
  const L = JSON.parse(labelsEl.textContent);
  const API = labelsEl.dataset.api;
  const panels = new Map();  // contact id -> panel element
  const slot = (el, name) => el.querySelector(`[data-slot="${name}"]`);

  const call = (method, path, body, form) => window.Kefu.api(API, method, path, { body, form });

  function lineEl(m) {
    const li = document.createElement("li");
    li.className = `chat-line ${m.sender}`; li.dataset.id = m.id; li.dataset.sender = m.sender; li.dataset.testid = "chat-line";
    const who = document.createElement("span"); who.className = "who"; who.textContent = L[m.sender] || m.sender;
    const body = document.createElement("span"); body.className = "text";
    if (m.file) {
      const a = document.createElement("a"); a.href = `/webchat/files/${m.id}/`; a.textContent = m.file.name; body.append(a);
    } else {
      body.textContent = m.text;
    }
    li.append(who, " ", body);
    return li;
  }

  function addLine(panel, m) {
    const list = slot(panel, "lines");
    if (list.querySelector(`[data-id="${m.id}"]`)) return;
    list.append(lineEl(m));
    list.scrollTop = list.scrollHeight;
    if (m.sender === "customer") slot(panel, "typing").hidden = true;
  }

  async function load(contactId, panel) {
    const t = await call("GET", `/contacts/${contactId}/transcript`);
    if (!t) return;
    slot(panel, "mobile").textContent = t.mobile;
    slot(panel, "guest").hidden = !t.guest;
    t.messages.forEach((m) => addLine(panel, m));
  }

  async function loadHistory(contactId, panel) {
    const box = slot(panel, "history-list");
    const rows = await call("GET", `/contacts/${contactId}/history`);
    if (!rows) return;
    box.replaceChildren();
    if (!rows.length) { const p = document.createElement("p"); p.className = "muted"; p.textContent = L.none; box.append(p); }
    rows.forEach((chat) => {
      const ol = document.createElement("ol"); ol.className = "chat-lines earlier"; ol.dataset.testid = "chat-history-item";
      chat.messages.forEach((m) => ol.append(lineEl(m)));
      const head = document.createElement("p"); head.className = "muted";
      head.textContent = chat.messages.length ? new Date(chat.messages[0].at).toLocaleString() : "";
      box.append(head, ol);
    });
  }

  document.addEventListener("kefu:desk-card", (ev) => {
    const { card, contact } = ev.detail;
    if (contact.channel !== "chat") return;
    const panel = document.getElementById("tpl-chat-panel").content.firstElementChild.cloneNode(true);
    slot(card, "chat").replaceChildren(panel);
    panels.set(String(contact.id), panel);
    const form = panel.querySelector("[data-form=chat-send]");
    let lastTyping = 0;
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      e.stopPropagation();  // not the desk's own form handling
      const text = form.text.value.trim();
      if (!text) return;
      const m = await call("POST", `/contacts/${contact.id}/messages`, { text });
      if (m) { form.text.value = ""; addLine(panel, m); }
    });
    form.text.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
    });
    form.text.addEventListener("input", () => {
      if (Date.now() - lastTyping > 2000) { lastTyping = Date.now(); call("POST", `/contacts/${contact.id}/typing`); }
    });
    form.file.addEventListener("change", async () => {
      const f = form.file.files[0];
      if (!f) return;
      const data = new FormData(); data.append("file", f);
      const m = await call("POST", `/contacts/${contact.id}/files`, undefined, data);
      form.file.value = "";
      if (m) addLine(panel, m);
    });
    slot(panel, "history").addEventListener("toggle", (e) => { if (e.target.open) loadHistory(contact.id, panel); });
    load(contact.id, panel);
  });

  const typingTimers = new Map();
  document.addEventListener("kefu:desk-event", (ev) => {
    const e = ev.detail;
    const panel = panels.get(String(e.contact));
    if (!panel || !panel.isConnected) return;
    if (e.type === "chat.message") addLine(panel, e.message);
    if (e.type === "chat.typing") {
      const el = slot(panel, "typing"); el.hidden = false;
      clearTimeout(typingTimers.get(e.contact));
      typingTimers.set(e.contact, setTimeout(() => { el.hidden = true; }, 4000));
    }
  });
})();
