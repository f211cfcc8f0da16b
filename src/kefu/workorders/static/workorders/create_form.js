// New work order form: changing the kind re-renders the form with that kind's fields (kept out of the
// template so that the Content-Security-Policy can forbid inline scripts).
document.addEventListener("change", (ev) => {
  const kind = ev.target.closest("[data-testid=create-form] [name=kind]");
  if (!kind || !window.htmx) return;
  const form = kind.form;
  form.querySelector("[name=switch_kind]").value = "1";
  htmx.ajax("POST", form.action, {source: form, target: "#create-form", swap: "innerHTML"});
});
