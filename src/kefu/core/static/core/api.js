// For page scripts that call Kefu's JSON API (the desk's panels): Kefu.say shows a message in the page's
// message box; Kefu.api sends a request with the CSRF token (JSON body, a FormData upload, or an
// Idempotency-Key) and answers the parsed JSON, or null after showing the error's message.
window.Kefu = window.Kefu || (() => {
  "use strict";
  function say(text, kind = "error") {
    let box = document.querySelector(".messages");
    if (!box) { box = document.createElement("div"); box.className = "messages"; document.querySelector(".content").prepend(box); }
    const m = document.createElement("div");
    m.className = `msg msg-${kind}`; m.setAttribute("role", kind === "error" ? "alert" : "status");
    m.dataset.testid = "desk-message"; m.textContent = text;
    box.append(m);
    setTimeout(() => m.remove(), 8000);
  }

  async function api(base, method, path, { body, form, key } = {}) {
    const headers = { Accept: "application/json", "X-CSRFToken": document.querySelector("meta[name=csrf-token]").content };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (key) headers["Idempotency-Key"] = key;
    let resp;
    try {
      resp = await fetch(base + path, { method, credentials: "same-origin", headers,
        body: form || (body !== undefined ? JSON.stringify(body) : undefined) });
    } catch (e) { return null; }
    let data = null;
    try { data = await resp.json(); } catch (e) { /* no body */ }
    if (!resp.ok) { say((data && data.message) || resp.statusText); return null; }
    return data;
  }

  return { say, api };
})();
