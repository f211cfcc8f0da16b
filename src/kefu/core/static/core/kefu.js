// Kefu page helpers: confirm dialogs for destructive buttons, htmx error display, and the small behaviours
// templates ask for with data attributes (the Content-Security-Policy forbids inline scripts and on* handlers).
document.addEventListener("click", (ev) => {
  const el = ev.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) { ev.preventDefault(); ev.stopPropagation(); return; }
  const clear = ev.target.closest("[data-clear]");
  if (clear) {
    const target = document.querySelector(clear.dataset.clear);
    if (target) target.innerHTML = "";
  }
  const select = ev.target.closest("[data-select-on-click]");
  if (select && select.select) select.select();
});
document.addEventListener("change", (ev) => {
  const el = ev.target.closest("[data-submit-on-change]");
  if (el && el.form) el.form.submit();
});
document.addEventListener("htmx:responseError", (ev) => {
  const box = document.querySelector(".messages") || (() => {
    const d = document.createElement("div"); d.className = "messages";
    document.querySelector(".content").prepend(d); return d;
  })();
  let text = ev.detail.xhr.statusText;
  try { text = JSON.parse(ev.detail.xhr.responseText).message || text; } catch (e) { /* HTML answer */ }
  const m = document.createElement("div"); m.className = "msg msg-error"; m.setAttribute("role", "alert");
  m.textContent = text; box.append(m);
});
// Forms answer validation errors with 4xx and the re-rendered form: swap those in too.
document.addEventListener("DOMContentLoaded", () => {
  if (window.htmx) {
    htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "4..", swap: true, error: false },
      { code: "...", swap: false, error: true },
    ];
  }
});
