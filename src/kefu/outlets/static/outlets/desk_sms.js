// The SMS panel of the agent desktop. desktop.js announces each new contact card
// ("kefu:desk-card"); for a contact that came by SMS this script shows what the
// customer wrote and the answers sent (GET /api/outlets/contacts/{id}/sms) and
// sends the agent's answer (POST …/reply, with an idempotency key so a double
// click sends one SMS). The status of each answer (queued, sent, delivered…)
// is read again a few seconds after sending.
(() => {
  "use strict";
  const labelsEl = document.getElementById("sms-labels");
  if (!labelsEl) return;
  const L = JSON.parse(labelsEl.textContent);
  const API = labelsEl.dataset.api;
  const slot = (el, name) => el.querySelector(`[data-slot="${name}"]`);

  const call = (method, path, body, key) => window.Kefu.api(API, method, path, { body, key });

  function lineEl(line) {
    const li = document.createElement("li");
    li.className = `chat-line from-${line.direction === "in" ? "customer" : "agent"}`;
    li.dataset.testid = "sms-line";
    li.dataset.direction = line.direction;
    const who = document.createElement("span");
    who.className = "muted";
    who.textContent = `${line.direction === "in" ? L.customer : L.answer} ${new Date(line.at).toLocaleTimeString()}`;
    const text = document.createElement("div");
    text.textContent = line.text;
    li.append(who, text);
    if (line.direction === "out") {
      const st = document.createElement("span");
      st.className = "badge"; st.dataset.testid = "sms-status"; st.dataset.status = line.status;
      st.textContent = line.status_label || line.status;
      li.append(st);
    }
    return li;
  }

  async function load(panel, contactId) {
    const lines = await call("GET", `/contacts/${contactId}/sms`);
    if (lines) slot(panel, "lines").replaceChildren(...lines.map(lineEl));
  }

  document.addEventListener("kefu:desk-card", (e) => {
    const { card, contact } = e.detail;
    if (contact.channel !== "sms") return;
    const panel = document.getElementById("tpl-sms-panel").content.firstElementChild.cloneNode(true);
    slot(card, "chat").append(panel);
    const form = panel.querySelector("[data-form=sms-reply]");
    const input = form.elements.text;
    const count = () => { slot(panel, "count").textContent = `${input.value.length}/1000`; };
    input.addEventListener("input", count);
    count();
    let key = null;
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      key = key || `desk-sms-${contact.id}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      form.querySelector("button").disabled = true;
      const sent = await call("POST", `/contacts/${contact.id}/reply`, { text }, key);
      form.querySelector("button").disabled = false;
      if (!sent) return;  // the same key is used again if the agent retries
      key = null; input.value = ""; count();
      await load(panel, contact.id);
      setTimeout(() => load(panel, contact.id), 4000);
    });
    load(panel, contact.id);
  });
})();
