// New work order form: changing the kind re-renders the form with that kind's fields (kept out of the
// template so that the Content-Security-Policy can forbid inline scripts).
document.addEventListener("change", (ev) => {
  const kind = ev.target.closest("[data-testid=create-form] [name=kind]");
  if (!kind || !window.htmx) return;
  const form = kind.form;
  form.querySelector("[name=switch_kind]").value = "1";
  // The select, not the form, is the source: htmx still sends the whole form, but does not stop at the
  // browser's validation of fields the person has not filled in yet (the title, say).
  htmx.ajax("POST", form.action, {source: kind, target: "#create-form", swap: "innerHTML"});
});
